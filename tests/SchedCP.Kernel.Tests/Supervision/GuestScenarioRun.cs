using System.Text.Json;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Tests.Sandbox;

namespace SchedCP.Kernel.Tests.Supervision;

/// <summary>
/// Boots the sandbox once and runs the host layer (supervisor, capability probe, metrics) inside the guest via
/// SchedCP.Kernel.GuestScenarios, so the same C# code meets the guest's real sched_ext kernel. Each test then reads
/// its scenario's verdict.
/// </summary>
public sealed class GuestScenarioRun
{
    private readonly Lazy<Task<(SandboxResult Sandbox, Dictionary<string, (bool Passed, string Detail)> Verdicts)>> _run;

    public GuestScenarioRun() => _run = new(RunAsync);

    public Task<(SandboxResult Sandbox, Dictionary<string, (bool Passed, string Detail)> Verdicts)> Result => _run.Value;

    private static async Task<(SandboxResult, Dictionary<string, (bool, string)>)> RunAsync()
    {
        var toolchain = TestSandbox.Toolchain();
        var guestBuild = Path.GetDirectoryName(typeof(GuestScenarioRun).Assembly.Location)!
            .Replace("SchedCP.Kernel.Tests", "SchedCP.Kernel.GuestScenarios", StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(guestBuild, "SchedCP.Kernel.GuestScenarios.dll")),
            $"The guest scenario program is not built at '{guestBuild}'; build the solution (./build.sh test does).");
        var bpfDir = Path.GetDirectoryName(TestSandbox.BpfObject("fifo"))!;

        var job = new SandboxJob("guest-scenarios", """
            export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_gcServer=0 DOTNET_TieredPGO=0
            dotnet guest/SchedCP.Kernel.GuestScenarios.dll "$PWD/out/scenarios" "$PWD/bpf" "$PWD/toolchain"
            """)
        {
            Timeout = TimeSpan.FromMinutes(10),
        }
            .WithInputDirectory("guest", guestBuild)
            .WithInputDirectory("bpf", bpfDir)
            .WithInputDirectory("toolchain/bin", Path.Combine(toolchain.Directory, "bin"));

        var result = await new SandboxRunner(TestSandbox.Options(TimeSpan.FromMinutes(10))).RunAsync(job);
        var verdicts = new Dictionary<string, (bool, string)>(StringComparer.Ordinal);
        var dir = Path.Combine(result.OutputDirectory, "scenarios");
        if (Directory.Exists(dir))
        {
            foreach (var file in Directory.GetFiles(dir, "*.json"))
            {
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file));
                verdicts[doc.RootElement.GetProperty("name").GetString()!] =
                    (doc.RootElement.GetProperty("passed").GetBoolean(), doc.RootElement.GetProperty("detail").GetString()!);
            }
        }

        return (result, verdicts);
    }
}
