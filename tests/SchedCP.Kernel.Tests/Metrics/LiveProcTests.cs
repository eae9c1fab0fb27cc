using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

/// <summary>Reads this machine's real /proc around a short CPU burn on the test thread.</summary>
public sealed class LiveProcTests
{
    private const int ClockThreadCpuTime = 3;
    private static readonly TimeSpan Burn = TimeSpan.FromMilliseconds(120);

    [Fact]
    public void Run_time_of_the_burning_thread_grows_by_the_cpu_time_it_burned()
    {
        var tid = CurrentThreadId();
        var collector = new TaskSchedCollector();
        var before = collector.Capture(tid);
        var burned = BurnCpu(Burn);
        var after = collector.Capture(tid);

        Assert.True(before.Succeeded, before.ToString());
        Assert.True(after.Succeeded, after.ToString());
        var d = TaskSchedCollector.Delta(before.Value!, after.Value!);
        Assert.NotNull(d.RunNs);
        var ran = TimeSpan.FromTicks((long)d.RunNs!.Value / 100);
        // The kernel folds the running task's time into its counters at ticks, so allow one tick of slack each way.
        Assert.InRange(ran, burned - TimeSpan.FromMilliseconds(15), burned * 1.1 + TimeSpan.FromMilliseconds(15));
        Assert.InRange(d.CpuUsage!.Value, 0.0, 1.05);
    }

    [Fact]
    public void System_deltas_are_non_negative_and_consistent_across_a_burn()
    {
        var stat = new ProcStatCollector();
        var pressure = new PressureCollector();
        var load = new LoadAverageCollector().Capture();
        var statBefore = stat.Capture();
        var pressureBefore = pressure.Capture();
        BurnCpu(Burn);
        var statAfter = stat.Capture();
        var pressureAfter = pressure.Capture();

        Assert.True(load.Succeeded, load.ToString());
        Assert.True(statBefore.Succeeded && statAfter.Succeeded, statAfter.ToString());
        var d = ProcStatCollector.Delta(statBefore.Value!, statAfter.Value!);
        Assert.Equal(Environment.ProcessorCount, d.Cpus.Count);
        Assert.True(d.Total.Ticks > 0, "no ticks elapsed");
        Assert.True(d.Total.Busy > 0, "a CPU burn left every CPU idle");
        foreach (var u in d.Cpus.Append(d.Total))
        {
            Assert.InRange(u.Busy, 0.0, 1.0);
            Assert.Equal(1.0, u.Busy + u.Idle + u.IoWait, 6);
        }

        Assert.True(d.ContextSwitchesPerSecond >= 0);
        if (pressureBefore.Succeeded)
        {
            Assert.True(pressureAfter.Value!.Some.TotalMicroseconds >= pressureBefore.Value!.Some.TotalMicroseconds);
            Assert.InRange(PressureCollector.Delta(pressureBefore.Value, pressureAfter.Value).SomeStallFraction, 0.0, 1.0);
        }
        else
        {
            Assert.Equal(MetricsFailureKind.Unavailable, pressureBefore.Failure.Kind);
        }
    }

    /// <summary>Spins until the calling thread has used <paramref name="cpu"/> of CPU time, measured by the kernel's thread clock.</summary>
    private static TimeSpan BurnCpu(TimeSpan cpu)
    {
        var start = ThreadCpuTime();
        var wall = Stopwatch.StartNew();
        var x = 0UL;
        while (ThreadCpuTime() - start < cpu && wall.Elapsed < TimeSpan.FromSeconds(5))
        {
            for (var i = 0; i < 10_000; i++)
            {
                x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            }
        }

        GC.KeepAlive(x);
        return ThreadCpuTime() - start;
    }

    private static int CurrentThreadId()
    {
        // /proc/thread-self links to "<pid>/task/<tid>".
        var target = new DirectoryInfo("/proc/thread-self").LinkTarget!;
        return int.Parse(target[(target.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
    }

    private static TimeSpan ThreadCpuTime()
    {
        if (ClockGetTime(ClockThreadCpuTime, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return TimeSpan.FromTicks((ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out Timespec time);
}
