using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ModelContextProtocol.Client;

namespace SchedCP.Mcp.Tests;

/// <summary>
/// The HTTP endpoint against a real server process on loopback: DNS rebinding (foreign Host or Origin) is refused with
/// 403 and a missing or wrong bearer token with 401, all before the MCP layer; the right token gets through.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HttpEndpointSecurityTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"probe","version":"1"}}}""";

    private static async Task<HttpResponseMessage> PostAsync(Uri endpoint, string? host = null, string? origin = null, string? bearer = null, string body = Initialize)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await http.SendAsync(request);
    }

    private static async Task WithServerAsync(Func<ServerProcess, Uri, Task> test, params string[] extra)
    {
        using var server = new ServerProcess();
        var (process, endpoint) = await HttpServerTests.StartHttpAsync(server, extra);
        try
        {
            await test(server, endpoint);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    [Fact]
    public Task Dns_rebinding_with_a_foreign_host_and_origin_is_refused_before_the_mcp_layer() => WithServerAsync(async (server, endpoint) =>
    {
        using var evil = await PostAsync(endpoint, host: "evil.example", origin: "http://evil.example", bearer: server.BearerToken);
        Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        using var evilHost = await PostAsync(endpoint, host: $"evil.example:{endpoint.Port}", bearer: server.BearerToken);
        Assert.Equal(HttpStatusCode.Forbidden, evilHost.StatusCode);
        using var evilOrigin = await PostAsync(endpoint, origin: "http://evil.example", bearer: server.BearerToken);
        Assert.Equal(HttpStatusCode.Forbidden, evilOrigin.StatusCode);
        Assert.Contains("--allow-origin", await evilOrigin.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing reached a tool: no mutation was audited.
        Assert.False(File.Exists(server.AuditPath));
    });

    [Fact]
    public Task Missing_or_wrong_bearer_token_is_refused_with_401() => WithServerAsync(async (server, endpoint) =>
    {
        using var none = await PostAsync(endpoint);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        using var wrong = await PostAsync(endpoint, bearer: server.BearerToken[..^1] + (server.BearerToken[^1] == 'A' ? 'B' : 'A'));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var empty = await PostAsync(endpoint, bearer: "");
        Assert.Equal(HttpStatusCode.Unauthorized, empty.StatusCode);
    });

    [Fact]
    public Task The_right_token_with_a_loopback_host_and_origin_initializes() => WithServerAsync(async (server, endpoint) =>
    {
        using var ok = await PostAsync(endpoint, host: $"localhost:{endpoint.Port}", origin: $"http://127.0.0.1:{endpoint.Port}", bearer: server.BearerToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("serverInfo", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    });

    [Fact]
    public Task An_allowed_origin_is_let_through() => WithServerAsync(async (server, endpoint) =>
    {
        using var ok = await PostAsync(endpoint, origin: "http://localhost:5173", bearer: server.BearerToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }, "--allow-origin", "http://localhost:5173");

    [Fact]
    public Task Mutations_over_http_audit_the_caller_with_a_digest_of_the_token_never_the_token() => WithServerAsync(async (server, endpoint) =>
    {
        await using var client = await McpClient.CreateAsync(server.HttpTransport(endpoint));
        var created = await client.CallToolAsync("workload", new Dictionary<string, object?> { ["action"] = "create", ["description"] = "audited over http" });
        Assert.NotEqual(true, created.IsError);
        var audit = await File.ReadAllTextAsync(server.AuditPath);
        Assert.Contains("\"Transport\":\"http\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"RemoteEndpoint\":\"127.0.0.1:", audit, StringComparison.Ordinal);
        Assert.Contains("\"BearerSha256\":\"", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(server.BearerToken, audit, StringComparison.Ordinal);
    });

    [Theory]
    [InlineData("http://[::ffff:127.0.0.1]:3002")]
    [InlineData("http://127.0.0.1:3002/mcp")]
    [InlineData("http://127.0.0.1:3002/?x=1")]
    [InlineData("http://localhost:3002")]
    [InlineData("https://127.0.0.1:3002")]
    [InlineData("http://user@127.0.0.1:3002")]
    public async Task Urls_that_are_not_a_plain_loopback_endpoint_exit_2_with_advice(string url)
    {
        using var server = new ServerProcess();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in server.Arguments("--http", url))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("loopback address", await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_readable_token_file_is_refused()
    {
        using var server = new ServerProcess();
        var file = server.WriteAuthTokenFile();
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in server.Arguments("--http", $"http://127.0.0.1:{ServerProcess.FreeLoopbackPort()}", "--auth-token-file", file))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("chmod 600", stderr, StringComparison.Ordinal);
    }
}
