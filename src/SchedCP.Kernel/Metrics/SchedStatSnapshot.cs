namespace SchedCP.Kernel.Metrics;

/// <summary>
/// One <c>cpuN</c> line of <c>/proc/schedstat</c> (format versions 15 to 17): runqueue counters of one CPU since boot.
/// Fields are numbered as in the kernel's Documentation/scheduler/sched-stats.rst; field 2 is a legacy zero and is skipped.
/// </summary>
/// <param name="Cpu">The CPU number.</param>
/// <param name="YieldCount">Field 1: sched_yield() calls.</param>
/// <param name="ScheduleCount">Field 3: schedule() calls.</param>
/// <param name="ScheduleIdleCount">Field 4: schedule() calls that left the CPU idle.</param>
/// <param name="WakeupCount">Field 5: try_to_wake_up() calls.</param>
/// <param name="WakeupLocalCount">Field 6: try_to_wake_up() calls that woke a task on this CPU.</param>
/// <param name="RunTimeNs">Field 7: nanoseconds tasks spent running on this CPU.</param>
/// <param name="RunDelayNs">Field 8: nanoseconds tasks spent runnable but waiting for this CPU.</param>
/// <param name="Timeslices">Field 9: timeslices run on this CPU (times a task was switched in).</param>
public readonly record struct CpuSchedStat(
    int Cpu,
    ulong YieldCount,
    ulong ScheduleCount,
    ulong ScheduleIdleCount,
    ulong WakeupCount,
    ulong WakeupLocalCount,
    ulong RunTimeNs,
    ulong RunDelayNs,
    ulong Timeslices);

/// <summary><c>/proc/schedstat</c> at one moment; domain lines are not kept.</summary>
/// <param name="Timestamp">Monotonic time of the capture; only differences between snapshots mean something.</param>
/// <param name="Version">The format version the kernel reported (15, 16 or 17).</param>
/// <param name="Jiffies">The kernel's jiffies counter when the file was produced (<c>timestamp</c> line).</param>
/// <param name="Cpus">One entry per online CPU, in file order.</param>
public sealed record SchedStatSnapshot(TimeSpan Timestamp, int Version, ulong Jiffies, IReadOnlyList<CpuSchedStat> Cpus)
{
    /// <summary>The sum over all CPUs (with <see cref="CpuSchedStat.Cpu"/> = -1).</summary>
    public CpuSchedStat Total
    {
        get
        {
            ulong yld = 0, sched = 0, idle = 0, ttwu = 0, local = 0, run = 0, delay = 0, slices = 0;
            foreach (var c in Cpus)
            {
                yld += c.YieldCount;
                sched += c.ScheduleCount;
                idle += c.ScheduleIdleCount;
                ttwu += c.WakeupCount;
                local += c.WakeupLocalCount;
                run += c.RunTimeNs;
                delay += c.RunDelayNs;
                slices += c.Timeslices;
            }

            return new CpuSchedStat(-1, yld, sched, idle, ttwu, local, run, delay, slices);
        }
    }
}

/// <summary>How one CPU's runqueue behaved over an interval.</summary>
/// <param name="Cpu">The CPU number, or -1 for all CPUs.</param>
/// <param name="RunTimeNs">Nanoseconds tasks ran.</param>
/// <param name="RunDelayNs">Nanoseconds tasks waited runnable.</param>
/// <param name="Timeslices">Timeslices run.</param>
/// <param name="Schedules">schedule() calls.</param>
/// <param name="Wakeups">try_to_wake_up() calls.</param>
/// <param name="RunFraction">Run time over the interval (0..1 per CPU; up to the CPU count for the total).</param>
/// <param name="RunDelayPerSecond">Seconds of waiting per second: the mean number of tasks waiting for the CPU.</param>
/// <param name="TimeslicesPerSecond">Timeslices per second.</param>
/// <param name="MeanRunDelayPerTimeslice">Mean wait before a timeslice; zero when no timeslice ran.</param>
/// <param name="MeanTimeslice">Mean run time of a timeslice; zero when no timeslice ran.</param>
public readonly record struct CpuSchedRate(
    int Cpu,
    ulong RunTimeNs,
    ulong RunDelayNs,
    ulong Timeslices,
    ulong Schedules,
    ulong Wakeups,
    double RunFraction,
    double RunDelayPerSecond,
    double TimeslicesPerSecond,
    TimeSpan MeanRunDelayPerTimeslice,
    TimeSpan MeanTimeslice)
{
    internal static CpuSchedRate Between(in CpuSchedStat previous, in CpuSchedStat current, TimeSpan interval)
    {
        var run = ProcRoot.Minus(current.RunTimeNs, previous.RunTimeNs);
        var delay = ProcRoot.Minus(current.RunDelayNs, previous.RunDelayNs);
        var slices = ProcRoot.Minus(current.Timeslices, previous.Timeslices);
        var seconds = interval.TotalSeconds;
        return new CpuSchedRate(
            current.Cpu,
            run,
            delay,
            slices,
            ProcRoot.Minus(current.ScheduleCount, previous.ScheduleCount),
            ProcRoot.Minus(current.WakeupCount, previous.WakeupCount),
            seconds > 0 ? run / 1e9 / seconds : 0,
            seconds > 0 ? delay / 1e9 / seconds : 0,
            ProcRoot.PerSecond(slices, interval),
            slices > 0 ? Nanoseconds(delay / slices) : TimeSpan.Zero,
            slices > 0 ? Nanoseconds(run / slices) : TimeSpan.Zero);
    }

    private static TimeSpan Nanoseconds(ulong ns) => TimeSpan.FromTicks((long)Math.Min(ns / 100, long.MaxValue));
}

/// <summary>What changed between two <see cref="SchedStatSnapshot"/>s.</summary>
/// <param name="Interval">Time between the snapshots.</param>
/// <param name="Total">All CPUs together.</param>
/// <param name="Cpus">Per CPU, for CPUs present in both snapshots.</param>
public sealed record SchedStatDelta(TimeSpan Interval, CpuSchedRate Total, IReadOnlyList<CpuSchedRate> Cpus);
