using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using SchedCP.Console.Feed;
using Xunit.Abstractions;

namespace SchedCP.Console.Tests.Load;

/// <summary>
/// Fifty pages watching one loop: each holds the event stream and, like the page's script, refetches the loop page's
/// live region on every change. Prints the latency from a report to each viewer's refreshed HTML; asserts only that
/// every viewer reached the last update (speed is measured, not asserted; numbers in docs/console.md).
/// </summary>
[Trait("Category", "Load")]
public sealed class LiveViewersLoadTests(ITestOutputHelper output)
{
    private const int Viewers = 50;
    private const int Updates = 20;

    [Fact]
    public async Task Fifty_live_viewers_all_reach_the_latest_update_of_a_loop()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.Feed.LoopStarted("load-1", "longtail", "makespan_ms", false);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 4 * Viewers };
        using var client = new HttpClient(handler) { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleServer.Token);
        using var stop = new CancellationTokenSource();
        var published = new long[Updates + 1];
        var seen = new int[Viewers];
        var latencies = new List<double>();
        var ready = new CountdownEvent(Viewers);

        async Task ViewAsync(int viewer)
        {
            using var stream = await client.GetStreamAsync("events", stop.Token);
            using var reader = new StreamReader(stream);
            ready.Signal();
            while (!stop.IsCancellationRequested && await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line != "event: changed")
                {
                    continue;
                }

                var html = await client.GetStringAsync("loops/load-1?fragment=1", stop.Token);
                var at = Stopwatch.GetTimestamp();
                for (var u = Updates; u >= 1; u--)
                {
                    if (html.Contains($"data-candidate=\"c{u}\"", StringComparison.Ordinal))
                    {
                        if (u > seen[viewer])
                        {
                            seen[viewer] = u;
                            lock (latencies)
                            {
                                latencies.Add(Stopwatch.GetElapsedTime(Interlocked.Read(ref published[u]), at).TotalMilliseconds);
                            }
                        }

                        break;
                    }
                }
            }
        }

        var viewers = Enumerable.Range(0, Viewers).Select(v => Task.Run(() => ViewAsync(v))).ToArray();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(30)), "every viewer connected");
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var u = 1; u <= Updates; u++)
        {
            Interlocked.Exchange(ref published[u], Stopwatch.GetTimestamp());
            server.Feed.CandidateChanged("load-1", new CandidateView($"c{u}", "scx_simple", "measured", 100, 100 - u, u % 3 == 0 ? "better" : null, null));
            await Task.Delay(300);
        }

        await Eventually.TrueAsync(() => seen.All(s => s == Updates), "every viewer saw the last update", seconds: 30);
        wall.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        await stop.CancelAsync();
        await Task.WhenAll(viewers.Select(v => v.ContinueWith(_ => { }, TaskScheduler.Default)));

        latencies.Sort();
        double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Round(q * (latencies.Count - 1)))];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Viewers} viewers, {Updates} updates 300 ms apart: {latencies.Count} refreshes observed; report-to-refreshed-HTML latency p50 {P(0.5):F0} ms, p95 {P(0.95):F0} ms, max {P(1):F0} ms; process CPU {cpu:F0} ms over {wall.Elapsed.TotalSeconds:F1} s wall ({Environment.ProcessorCount} cores)"));
        Assert.All(seen, s => Assert.Equal(Updates, s));
    }
}
