using System.Text.Json;
using SchedCP.Testing;

namespace SchedCP.Cli.Tests;

/// <summary><c>schedcp sandbox run</c> boots the sched_ext guest and runs a catalog policy there with checked parameters.</summary>
[Trait("Category", "Sandbox")]
public sealed class SandboxCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SandboxFact]
    public async Task Sandbox_run_attaches_a_catalog_policy_with_its_parameters_and_detaches_cleanly()
    {
        var result = await Schedcp.RunAsync(_dir, "sandbox", "run", "vtime", "slice_ns=3000000", "--seconds", "1", "--threads", "2", "--json");
        Assert.True(result.ExitCode == 0, result.Out + result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("attached").GetBoolean());
        Assert.Equal("schedcp_vtime", json.RootElement.GetProperty("ops").GetString());
        Assert.False(json.RootElement.TryGetProperty("failure", out _));
    }
}
