using System.Net;
using System.Net.Sockets;

namespace SchedCP.Cli.Tests;

/// <summary>
/// <c>schedcp optimize --console URL</c>: the console's address is printed before the loop starts, so it is there even
/// for a run that fails at once. A copy of the tool outside this repository finds no workloads; nothing boots.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OptimizeConsoleTests : IDisposable
{
    private const string Token = "optimize-console-test-token-0123";

    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-console-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Optimize_with_console_prints_the_console_address_before_the_loop_and_keeps_the_token_out_of_the_output()
    {
        var tool = Path.Combine(_dir, "tool");
        CopyDirectory(AppContext.BaseDirectory, tool);
        var port = FreePort();

        var run = await Schedcp.RunAsync(Path.Combine(tool, "schedcp.dll"), _dir,
            ["optimize", "longtail", "--db", Path.Combine(_dir, "repository.db"), "--console", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string?> { ["SCHEDCP_MCP_TOKEN"] = Token });

        Assert.Equal(1, run.ExitCode);
        var console = run.Err.IndexOf($"schedcp optimize: console on http://127.0.0.1:{port}/ (token from SCHEDCP_MCP_TOKEN)", StringComparison.Ordinal);
        var failure = run.Err.IndexOf("schedcp optimize: longtail could not be observed", StringComparison.Ordinal);
        Assert.True(console >= 0, run.Err);
        Assert.True(failure > console, run.Err);
        Assert.DoesNotContain(Token, run.Err + run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optimize_refuses_a_console_address_that_is_not_loopback_before_anything_runs()
    {
        var run = await Schedcp.RunAsync(_dir, "optimize", "longtail", "--console", "http://0.0.0.0:3003");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--console http://0.0.0.0:3003", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("console on", run.Err, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
