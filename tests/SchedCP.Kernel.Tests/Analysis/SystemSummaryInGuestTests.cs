using Microsoft.Extensions.Time.Testing;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Tests.Sandbox;

namespace SchedCP.Kernel.Tests.Analysis;

/// <summary>
/// Tier 1 against known loads on the real guest kernel: k busy loops on a 2-CPU guest, procfs copied before and after
/// a 3-second window, then summarised on the host by the same <see cref="SystemSampler"/> pointed at the copies.
/// Expected: utilisation min(k, 2)/2 above the idle guest's own baseline and a mean of max(0, k − 2) tasks waiting in the
/// run queue, within tolerances wide enough for emulation.
/// </summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class SystemSummaryInGuestTests(ITestOutputHelper output)
{
    private static readonly int[] Loads = [0, 1, 2, 4];

    [SandboxFact]
    public async Task Busy_loops_give_the_expected_utilisation_and_run_delay()
    {
        var script = """
            snap() {
                d=out/$1/proc; mkdir -p $d/pressure
                for f in stat schedstat loadavg meminfo uptime; do cat /proc/$f > $d/$f 2>/dev/null; done
                for f in cpu memory io; do cat /proc/pressure/$f > $d/pressure/$f 2>/dev/null; done
            }
            for k in LOADS; do
                pids=""
                for i in $(seq 1 $k); do sh -c 'while :; do :; done' & pids="$pids $!"; done
                sleep 1
                snap k$k/before
                sleep 3
                snap k$k/after
                [ -z "$pids" ] || kill $pids
                wait 2>/dev/null
            done
            exit 0
            """.Replace("LOADS", string.Join(' ', Loads), StringComparison.Ordinal);
        var result = await TestSandbox.Runner(output).RunAsync(new SandboxJob("tier1-loads", script) { Timeout = TimeSpan.FromMinutes(4) });
        Assert.True(result.Succeeded, result.ToString() + "\n" + result.JobLog);

        var summaries = Loads.ToDictionary(k => k, k => Summarize(Path.Combine(result.OutputDirectory, $"k{k}")));
        foreach (var (k, summary) in summaries)
        {
            output.WriteLine($"k={k}: {summary.Describe()}");
            Assert.Equal(2, summary.CpuCount);
            Assert.NotNull(summary.RunDelayPerSecond);
        }

        // The snapshot shells themselves queue behind the loops, so run delay sits a little above max(0, k - 2).
        // The emulated guest is never idle: its own housekeeping (and the snapshots) is the k=0 baseline.
        var idle = summaries[0].Utilisation;
        Assert.True(idle < 0.5, $"idle guest {idle:P0} busy");
        Assert.InRange(summaries[0].RunDelayPerSecond!.Value, 0, 0.3);
        Assert.InRange(summaries[1].Utilisation, 0.45, 0.55 + idle / 2 + 0.1);
        Assert.InRange(summaries[1].RunDelayPerSecond!.Value, 0, 0.5);
        Assert.InRange(summaries[2].Utilisation, 0.85, 1.0);
        Assert.InRange(summaries[2].RunDelayPerSecond!.Value, 0, 1.2);
        Assert.InRange(summaries[4].Utilisation, 0.9, 1.0);
        Assert.InRange(summaries[4].RunDelayPerSecond!.Value, 1.4, 3.3);
        Assert.True(summaries[4].CpuPressureSome > 0.5, $"CPU pressure {summaries[4].CpuPressureSome}");
        Assert.True(summaries[4].MeanRunDelayPerTimeslice > summaries[0].MeanRunDelayPerTimeslice);
    }

    private static SystemSummary Summarize(string dir)
    {
        static double Uptime(string root) => double.Parse(File.ReadAllText(Path.Combine(root, "proc", "uptime")).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var before = Path.Combine(dir, "before");
        var after = Path.Combine(dir, "after");
        var time = new FakeTimeProvider();
        var first = new SystemSampler(before, time).Capture();
        Assert.True(first.Succeeded, first.ToString());
        time.Advance(TimeSpan.FromSeconds(Uptime(after) - Uptime(before)));
        var second = new SystemSampler(after, time).Capture();
        Assert.True(second.Succeeded, second.ToString());
        return SystemSummary.Between(first.Value!, second.Value!);
    }
}
