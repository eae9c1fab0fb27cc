using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace SchedCP.Mcp.Tests;

public sealed class HttpServerTests
{
    /// <summary>Starts the host on a free loopback port and waits until it accepts connections.</summary>
    internal static async Task<(Process Process, Uri Endpoint)> StartHttpAsync(ServerProcess server, params string[] extra)
    {
        var url = $"http://127.0.0.1:{ServerProcess.FreeLoopbackPort()}";
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = server.WorkDir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in server.Arguments(["--http", url, "--auth-token-file", server.WriteAuthTokenFile(), .. extra]))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            Assert.False(process.HasExited, $"the HTTP host exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                await http.GetAsync(new Uri(url + "/"));
                return (process, new Uri(url));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"the HTTP host did not listen on {url} within 30 s");
    }

    [Fact]
    public async Task Http_client_lists_tools_and_calls_them_over_streamable_http()
    {
        using var server = new ServerProcess();
        var (process, endpoint) = await StartHttpAsync(server);
        try
        {
            await using var client = await McpClient.CreateAsync(server.HttpTransport(endpoint));
            var tools = await client.ListToolsAsync();
            Assert.Equal(22, tools.Count);

            var search = await client.CallToolAsync("search_policies", new Dictionary<string, object?> { ["query"] = "throughput batch", ["limit"] = 2 });
            using var doc = JsonDocument.Parse(StdioServerTests.Structured(search));
            Assert.Equal(2, doc.RootElement.GetProperty("items").GetArrayLength());

            var created = await client.CallToolAsync("workload", new Dictionary<string, object?> { ["action"] = "create", ["description"] = "http workload" });
            StdioServerTests.Structured(created);
            var audit = await File.ReadAllLinesAsync(server.AuditPath);
            Assert.Equal(2, audit.Length);
            Assert.Contains("\"Tool\":\"workload\"", audit[0], StringComparison.Ordinal);
            Assert.Contains("\"Decision\":\"admitted\"", audit[0], StringComparison.Ordinal);
            Assert.Contains("\"Transport\":\"http\"", audit[0], StringComparison.Ordinal);
            Assert.Contains("\"Outcome\":\"ok\"", audit[1], StringComparison.Ordinal);

            var bad = await client.CallToolAsync("analyze_workload", new Dictionary<string, object?> { ["tier"] = 9 });
            Assert.True(bad.IsError);
            Assert.Contains("'tier' must be 1 or 2", StdioServerTests.Text(bad), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    [Fact]
    public async Task Http_refuses_an_address_that_is_not_loopback()
    {
        using var server = new ServerProcess();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in server.Arguments("--http", "http://0.0.0.0:3001"))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("loopback address only", stderr, StringComparison.Ordinal);
    }
}
