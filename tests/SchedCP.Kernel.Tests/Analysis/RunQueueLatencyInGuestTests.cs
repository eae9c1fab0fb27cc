using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Metrics;
using SchedCP.Kernel.Tests.Sandbox;

namespace SchedCP.Kernel.Tests.Analysis;

/// <summary>
/// The BPF probe against known loads on the 2-CPU guest, in one boot: four busy loops (named <c>spin</c>) must wait
/// for a CPU for milliseconds, a process that only sleeps (<c>busybox-nap</c>) must get one almost at once, and eight naps of
/// 150 ms must land in the lifetime bucket [131 ms, 262 ms).
/// </summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class RunQueueLatencyInGuestTests(ITestOutputHelper output)
{
    private const string Contention = """
        ln -sf /bin/sh /tmp/spin
        pids=""
        for i in 1 2 3 4; do /tmp/spin -c 'while :; do :; done' & pids="$pids $!"; done
        sleep 3
        kill $pids
        wait
        """;

    // Static busybox copied to tmpfs: exec over the guest's 9p root costs hundreds of ms under emulation, which would
    // blur the lifetimes; from tmpfs it costs a few. Named busybox-* so busybox still reads the applet from argv[1].
    private const string Sleeper = """
        cp /bin/busybox /tmp/busybox-nap
        for i in 1 2 3 4 5 6 7 8; do /tmp/busybox-nap sleep 0.15; done
        """;

    // perf stat in the same boot: the guest runs the host's perf over the shared root; TCG has no PMU.
    private const string Counted = """
        perf stat -x, -o out/perf.csv -e task-clock,context-switches,cpu-migrations,cycles -- sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'
        """;

    [SandboxFact]
    public async Task Busy_loops_wait_milliseconds_a_sleeper_almost_nothing_and_lifetimes_land_in_their_bucket()
    {
        var probe = new RunQueueLatencyProbe(TestSandbox.Runner(output));
        var runs = await probe.RunInSandboxAsync([Contention, Sleeper, Counted], TimeSpan.FromMinutes(3));
        foreach (var run in runs)
        {
            Assert.True(run.Succeeded, run.ToString() + "\n" + run.CommandErrors + "\n" + run.Sandbox?.JobLog);
            output.WriteLine(run.Report!.Describe());
            foreach (var (comm, h) in run.Report.ByCommand.Where(kv => kv.Value.Count >= 5).OrderByDescending(kv => kv.Value.Count))
            {
                output.WriteLine($"  {comm,-16} {h}  slots [{string.Join(',', h.Slots)}]");
            }

            output.WriteLine($"  processes {run.Report.ProcessLifetimes} slots [{string.Join(',', run.Report.ProcessLifetimes.Slots)}]");
            Assert.Equal(0, run.Report.Dropped);
        }

        var (busy, idle) = (runs[0].Report!, runs[1].Report!);
        Assert.Equal(0, busy.CommandExitCode);
        Assert.Equal(0, idle.CommandExitCode);

        var spin = busy.ForCommand("spin");
        Assert.True(spin.Count >= 20, $"spin waited only {spin.Count} times");
        Assert.InRange(spin.P50, 1000, 100_000);

        var nap = idle.ForCommand("busybox-nap");
        Assert.True(nap.Count >= 8, $"nap got a CPU only {nap.Count} times");
        Assert.InRange(nap.P50, 0, 500);
        // Medians, not tails: with a handful of naps the p99 is the single slowest wakeup, which a timer tick of the
        // emulated guest can push to milliseconds.
        Assert.True(nap.P50 * 4 < spin.P50, $"nap median {nap.P50:F0} µs is not well below spin's median {spin.P50:F0} µs");

        // Eight naps of 150 ms, plus exec under emulation: each lives in [131 ms, 262 ms); the wrapping shell lives longer.
        var lifetimes = idle.ProcessLifetimes;
        var naps = lifetimes.Buckets.Single(b => b.Low == 131072).Count;
        Assert.True(naps >= 8, $"{naps} processes lived 131-262 ms: slots [{string.Join(',', lifetimes.Slots)}]");

        // Software counters work in the guest; hardware ones are reported as not supported, not as an error.
        var csv = runs[2].Sandbox!.ReadOutput("perf.csv");
        Assert.False(string.IsNullOrEmpty(csv), "perf wrote nothing: " + runs[2].CommandErrors);
        output.WriteLine(csv);
        var perf = PerfStatParser.Parse(csv!);
        Assert.True(perf.Succeeded, perf.ToString());
        Assert.True(perf.Value!.ValueOf("task-clock") > 1, $"task-clock {perf.Value.ValueOf("task-clock")} ms");
        Assert.NotNull(perf.Value.ValueOf("context-switches"));
    }
}
