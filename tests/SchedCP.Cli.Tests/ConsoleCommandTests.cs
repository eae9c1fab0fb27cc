using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace SchedCP.Cli.Tests;

/// <summary><c>schedcp console</c> as a user starts it: a real process on loopback that refuses callers without the token.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ConsoleCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-console-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_console_serves_its_api_on_loopback_to_the_token_holder_only()
    {
        var tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, "console-test-token-0123456789abcdef");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = _dir };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "schedcp.dll"), "console", "--http", $"http://127.0.0.1:{port}", "--auth-token-file", tokenFile })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["XDG_DATA_HOME"] = Path.Combine(_dir, "data");
        using var process = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var anonymous = await WhenListeningAsync(http, process);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous);

            using var request = new HttpRequestMessage(HttpMethod.Get, "openapi/console.json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "console-test-token-0123456789abcdef");
            using var document = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
            Assert.Contains("\"openapi\"", await document.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.Contains($"listening on http://127.0.0.1:{port}/", await process.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_loopback_address_is_a_usage_error()
    {
        var run = await Schedcp.RunAsync(_dir, "console", "--http", "http://0.0.0.0:3999");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("127.0.0.0/8", run.Err, StringComparison.Ordinal);
    }

    // Polls until the console answers; a busy machine may take a while to start .NET and Kestrel.
    private static async Task<HttpStatusCode> WhenListeningAsync(HttpClient http, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            Assert.False(process.HasExited, "schedcp console exited before listening");
            try
            {
                using var response = await http.GetAsync("api/agents");
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException("schedcp console did not listen within two minutes");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
