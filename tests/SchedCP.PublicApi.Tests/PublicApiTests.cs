using System.Reflection;
using PublicApiGenerator;

namespace SchedCP.PublicApi.Tests;

/// <summary>
/// Each package's public surface, as C# declarations, must equal its committed baseline in <c>api/PACKAGE.txt</c>.
/// A change to a public type or member then shows up in review as a change to that file. To accept an intended
/// change, run this test with <c>SCHEDCP_ACCEPT_API=1</c> and commit the rewritten baselines.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Packages() =>
    [
        "SchedCP.Core", "SchedCP.Kernel", "SchedCP.Repository", "SchedCP.Verifier", "SchedCP.ControlPlane",
        "SchedCP.Agents.Runtime", "SchedCP.Agents", "SchedCP.Mcp", "SchedCP.Console",
    ];

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_public_surface_matches_its_committed_baseline(string package)
    {
        var current = Surface(Assembly.Load(package));
        var baseline = Path.Combine(RepositoryRoot(), "api", package + ".txt");
        if (Environment.GetEnvironmentVariable("SCHEDCP_ACCEPT_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(baseline)!);
            File.WriteAllText(baseline, current);
            return;
        }

        Assert.True(File.Exists(baseline), $"{package} has no API baseline at {baseline}; run this test with SCHEDCP_ACCEPT_API=1 and commit it.");
        var expected = File.ReadAllText(baseline);
        if (expected == current)
        {
            return;
        }

        var was = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = current.Split('\n').ToHashSet(StringComparer.Ordinal);
        var changes = now.Where(l => !was.Contains(l)).Select(l => "+ " + l.Trim())
            .Concat(was.Where(l => !now.Contains(l)).Select(l => "- " + l.Trim()))
            .Take(40);
        Assert.Fail($"The public API of {package} changed. If that is intended, run with SCHEDCP_ACCEPT_API=1 and commit api/{package}.txt.\n{string.Join('\n', changes)}");
    }

    [Fact]
    public void A_surface_is_the_same_text_each_time_it_is_read()
    {
        var assembly = typeof(SchedCP.Core.Processes.ProcessRunner).Assembly;

        Assert.Equal(Surface(assembly), Surface(assembly));
        Assert.Contains("public sealed class ProcessRunner", Surface(assembly), StringComparison.Ordinal);
        Assert.DoesNotContain("BoundedCapture", Surface(assembly), StringComparison.Ordinal);
    }

    // Assembly attributes carry the build's commit and paths, which change on every commit without any API change.
    private static string Surface(Assembly assembly) =>
        string.Join('\n', assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false })
            .ReplaceLineEndings("\n")
            .Split('\n')
            .Where(l => !l.StartsWith("[assembly:", StringComparison.Ordinal))) + "\n";

    private static string RepositoryRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SchedCP.Sdk.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }
}
