using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Console.Hosting;

namespace SchedCP.Console.Tests.Hosting;

/// <summary>The standalone console that <c>schedcp console</c> runs: loopback only, recorded runs from event-log files.</summary>
public sealed class SchedCPConsoleHostTests
{
    [Fact]
    public async Task A_console_host_serves_a_recorded_event_log_for_replay()
    {
        var (recorded, _) = await RecordedScenario.RecordAsync();
        var file = Path.Combine(Path.GetTempPath(), $"schedcp-console-events-{Guid.NewGuid():N}.jsonl");
        using (var log = new JsonLinesEventLog(file))
        {
            foreach (var e in recorded.Events)
            {
                log.Append(e);
            }
        }

        await using var host = await SchedCPConsoleHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), o => o.BearerToken = ConsoleServer.Token);
        Assert.Null(host.AddEventLog("from-file", file));
        Assert.Contains("no such file", host.AddEventLog("missing", file + ".nope"), StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleServer.Token);

        using var step = JsonDocument.Parse(await client.GetStringAsync("api/runs/from-file/replay?step=3"));

        Assert.Equal(3, step.RootElement.GetProperty("step").GetInt32());
        Assert.Equal(recorded.Events.Count, step.RootElement.GetProperty("total").GetInt32());
        File.Delete(file);
    }

    [Fact]
    public async Task A_console_host_refuses_a_non_loopback_endpoint()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => SchedCPConsoleHost.StartAsync(new IPEndPoint(IPAddress.Any, 0), o => o.BearerToken = ConsoleServer.Token));
        Assert.Contains("not a loopback address", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_without_a_token_fail_at_start_naming_the_field()
    {
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => SchedCPConsoleHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), o => o.BearerToken = "short"));
        Assert.Contains("BearerToken", failed.ToString(), StringComparison.Ordinal);
    }
}
