using System.Xml.Linq;

namespace SchedCP.Core.Tests.Architecture;

/// <summary>Project references may only point down the layering of docs/architecture.md.</summary>
public sealed class LayeringTests
{
    private const string Samples = "samples/*";

    // Each package and the layers directly beneath it; anything reachable from there may be referenced too.
    private static readonly Dictionary<string, string[]> Below = new(StringComparer.Ordinal)
    {
        ["SchedCP.Core"] = [],
        ["SchedCP.Kernel"] = ["SchedCP.Core"],
        ["SchedCP.Repository"] = ["SchedCP.Core"],
        ["SchedCP.Agents.Runtime"] = ["SchedCP.Core"],
        ["SchedCP.Verifier"] = ["SchedCP.Kernel"],
        ["SchedCP.ControlPlane"] = ["SchedCP.Verifier", "SchedCP.Repository"],
        ["SchedCP.Agents"] = ["SchedCP.ControlPlane", "SchedCP.Agents.Runtime"],
        ["SchedCP.Mcp"] = ["SchedCP.Agents"],
        ["SchedCP.Console"] = ["SchedCP.Agents"],
        [Samples] = ["SchedCP.Mcp", "SchedCP.Console"],
    };

    [Fact]
    public void Every_project_reference_in_src_and_samples_points_down_the_layering()
    {
        var violations = Violations(ReadGraph(RepositoryRoot()));

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void A_reference_up_the_layering_or_from_an_unknown_package_is_reported()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["SchedCP.Kernel"] = ["SchedCP.Core", "SchedCP.Verifier"],
            ["SchedCP.Core"] = ["SchedCP.Agents.Runtime"],
            ["SchedCP.Agents"] = ["SchedCP.Kernel", "SchedCP.Agents.Runtime"],
            ["SchedCP.Dashboard"] = ["SchedCP.Core"],
        };

        var violations = Violations(graph);

        Assert.Equal(3, violations.Count);
        Assert.Contains(violations, v => v.StartsWith("SchedCP.Kernel -> SchedCP.Verifier", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("SchedCP.Core -> SchedCP.Agents.Runtime", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("SchedCP.Dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public void The_console_and_the_mcp_adapter_are_siblings_neither_may_reference_the_other()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["SchedCP.Console"] = ["SchedCP.Agents.Runtime", "SchedCP.Mcp"],
            ["SchedCP.Mcp"] = ["SchedCP.Console"],
            ["samples/SchedCP.Cli"] = ["SchedCP.Console", "SchedCP.Mcp"],
        };

        var violations = Violations(graph);

        Assert.Equal(["SchedCP.Console -> SchedCP.Mcp", "SchedCP.Mcp -> SchedCP.Console"], violations.Select(v => v[..v.IndexOf(" points", StringComparison.Ordinal)]));
    }

    [Fact]
    public void The_real_graph_is_read_from_the_project_files()
    {
        var graph = ReadGraph(RepositoryRoot());

        Assert.Contains("SchedCP.Core", graph["SchedCP.Kernel"]);
        Assert.Contains("SchedCP.Core", graph["SchedCP.Agents.Runtime"]);
        Assert.Empty(graph["SchedCP.Core"]);
    }

    /// <summary>One line per reference that points against the layering, or per package the layering does not name.</summary>
    internal static List<string> Violations(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        var violations = new List<string>();
        foreach (var (project, references) in graph.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var layer = project.StartsWith("samples/", StringComparison.Ordinal) ? Samples : project;
            if (!Below.ContainsKey(layer))
            {
                violations.Add($"{project} is not in the layering: add it to LayeringTests.Below and docs/architecture.md.");
                continue;
            }

            var allowed = Reachable(layer);
            violations.AddRange(references.Where(r => !allowed.Contains(r))
                .Select(r => $"{project} -> {r} points against the layering (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})."));
        }

        return violations;
    }

    private static HashSet<string> Reachable(string layer)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Below[layer]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var lower in Below[next])
                {
                    pending.Push(lower);
                }
            }
        }

        return seen;
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadGraph(string root)
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var folder in (string[])["src", "samples"])
        {
            foreach (var csproj in Directory.GetDirectories(Path.Combine(root, folder)).SelectMany(d => Directory.GetFiles(d, "*.csproj")))
            {
                var name = Path.GetFileNameWithoutExtension(csproj);
                var references = XDocument.Load(csproj).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!.Value.Replace('\\', '/')))
                    .ToList();
                graph[folder == "samples" ? "samples/" + name : name] = references;
            }
        }

        return graph;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SchedCP.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SchedCP.Sdk.sln not found above the test binaries.");
    }
}
