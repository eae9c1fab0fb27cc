using System.Text.RegularExpressions;

namespace SchedCP.Packaging.Tests;

/// <summary>
/// The README's install section, run as written: the tool installed from the packed folder runs, and a new console
/// project outside the repository builds the README's C# quick start against the packages.
/// </summary>
[Trait("Category", "Packaging")]
public sealed partial class PackageInstallTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    [Fact]
    public void Every_packable_project_packs_with_the_one_version_and_a_symbols_package()
    {
        Assert.True(packed.Pack!.ExitCode == 0, packed.Pack.ToString());
        foreach (var id in new[] { "SchedCP.Kernel", "SchedCP.Repository", "SchedCP.Verifier", "SchedCP.ControlPlane", "SchedCP.Agents.Runtime", "SchedCP.Agents", "SchedCP.Mcp", "SchedCP.Console", "SchedCP.Cli" })
        {
            Assert.True(File.Exists(Path.Combine(packed.Packages, $"{id}.{PackedPackages.Version}.nupkg")), $"{id} {PackedPackages.Version} was not packed");
            Assert.True(File.Exists(Path.Combine(packed.Packages, $"{id}.{PackedPackages.Version}.snupkg")), $"{id} has no symbols package");
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(packed.Packages), f => Path.GetFileName(f).Contains("Tests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tool_installed_from_the_packages_lists_the_policy_repository()
    {
        var schedcp = await InstallToolAsync("tools");

        var data = new Dictionary<string, string> { ["XDG_DATA_HOME"] = Path.Combine(packed.Root, "data") };
        var list = await Dotnet.RunAsync(schedcp, packed.Root, packed.PackageCache, data, "list", "--kind", "bpfObject");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("longjob [BpfObject", list.Out, StringComparison.Ordinal);
        Assert.Contains("vtime [BpfObject", list.Out, StringComparison.Ordinal);

        var help = await Dotnet.RunAsync(schedcp, packed.Root, packed.PackageCache, data, "help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("usage: schedcp COMMAND", help.Out + help.Err, StringComparison.Ordinal);
    }

    [PackagedSandboxFact]
    public async Task The_installed_tool_finds_its_sandbox_assets_and_optimises_the_long_tail_batch()
    {
        var schedcp = await InstallToolAsync("tools-optimize");
        var data = new Dictionary<string, string> { ["XDG_DATA_HOME"] = Path.Combine(packed.Root, "data-optimize") };

        // Every requirement is found without a repository: the objects and workloads come from the tool's package.
        var check = await Dotnet.RunAsync(schedcp, packed.Root, packed.PackageCache, data, "setup", "--check");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains(Path.Combine("runtimes", "linux-x64", "native", "schedcp", "bpf"), check.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(PackedPackages.RepositoryRoot, check.Out, StringComparison.Ordinal);

        var optimize = await Dotnet.RunAsync(schedcp, packed.Root, packed.PackageCache, data, "optimize", "longtail");
        Assert.True(optimize.ExitCode == 0, optimize.ToString());
        Assert.Contains("longjob", optimize.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(packed.Root, "data-optimize", "schedcp", "repository.db")), "the run is recorded in the user's data folder");
    }

    [Fact]
    public async Task The_readme_quick_start_builds_in_a_new_console_project_outside_the_repository()
    {
        var (app, build) = await BuildQuickStartAsync("my-app");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(Path.Combine(app, "bin", "Debug", "net10.0", "runtimes", "linux-x64", "native", "schedcp", "bpf", "longjob.bpf.o")),
            "the BPF schedulers the packages ship must land next to the application");
    }

    [PackagedSandboxFact]
    public async Task The_readme_quick_start_runs_the_loop_in_the_sandbox_with_only_what_the_packages_ship()
    {
        var (app, build) = await BuildQuickStartAsync("my-loop");
        Assert.True(build.ExitCode == 0, build.ToString());

        // No repository folders reach it: Dotnet.RunAsync drops SCHEDCP_BPF_DIR and SCHEDCP_WORKLOADS_DIR.
        var run = await Dotnet.RunAsync("dotnet", app, packed.PackageCache, null, "run", "--no-build");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"better than EEVDF in [0-9:.]+, 0 tokens", run.Out);
        Assert.True(File.Exists(Path.Combine(app, "schedcp.db")), "the loop records its lessons in the quick start's database");
    }

    /// <summary>Installs the schedcp tool from the packed folder into its own folder, as the README says; returns its path.</summary>
    private async Task<string> InstallToolAsync(string folder)
    {
        Assert.True(packed.Pack!.ExitCode == 0, packed.Pack.ToString());
        var tools = Path.Combine(packed.Root, folder);
        var install = await Dotnet.RunAsync("dotnet", packed.Root, packed.PackageCache, null,
            "tool", "install", "--tool-path", tools, "--add-source", packed.Packages, "SchedCP.Cli", "--version", PackedPackages.Version);
        Assert.True(install.ExitCode == 0, install.ToString());
        return Path.Combine(tools, "schedcp");
    }

    private async Task<(string App, Dotnet Build)> BuildQuickStartAsync(string name)
    {
        Assert.True(packed.Pack!.ExitCode == 0, packed.Pack.ToString());
        var app = Path.Combine(packed.Root, name);
        Assert.False(Path.GetFullPath(app).StartsWith(PackedPackages.RepositoryRoot, StringComparison.Ordinal), "the project must be outside the repository");

        var created = await Dotnet.RunAsync("dotnet", packed.Root, packed.PackageCache, null, "new", "console", "-o", app);
        Assert.True(created.ExitCode == 0, created.ToString());
        // The packed folder is one more source; the machine's own sources stay.
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="schedcp-local" value="{packed.Packages}" />
              </packageSources>
            </configuration>
            """);
        var agents = await Dotnet.RunAsync("dotnet", app, packed.PackageCache, null, "add", "package", "SchedCP.Agents", "--version", PackedPackages.Version);
        Assert.True(agents.ExitCode == 0, agents.ToString());
        var logging = await Dotnet.RunAsync("dotnet", app, packed.PackageCache, null, "add", "package", "Microsoft.Extensions.Logging");
        Assert.True(logging.ExitCode == 0, logging.ToString());
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), QuickStart());

        return (app, await Dotnet.RunAsync("dotnet", app, packed.PackageCache, null, "build"));
    }

    /// <summary>The first C# block under the README's "Quick start (C#)" heading, as a user would paste it.</summary>
    private static string QuickStart()
    {
        var readme = File.ReadAllText(Path.Combine(PackedPackages.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("## Quick start (C#)", StringComparison.Ordinal)..];
        return CSharpBlock().Match(section).Groups[1].Value;
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
