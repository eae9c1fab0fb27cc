namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Scheduling counters of one task (a process's main thread, or any thread by its id) at one moment, merged from
/// <c>/proc/&lt;id&gt;/schedstat</c>, <c>/proc/&lt;id&gt;/sched</c> and <c>/proc/&lt;id&gt;/status</c>. A value is null when
/// no file on this kernel provides it.
/// </summary>
/// <param name="Timestamp">Monotonic time of the capture; only differences between snapshots mean something.</param>
/// <param name="TaskId">The process or thread id read.</param>
/// <param name="RunNs">Nanoseconds run (schedstat, else <c>se.sum_exec_runtime</c>).</param>
/// <param name="WaitNs">Nanoseconds waited runnable (schedstat, else <c>wait_sum</c> while schedstats are on).</param>
/// <param name="Timeslices">Timeslices run (schedstat only).</param>
/// <param name="VoluntarySwitches">Voluntary context switches (sched, else status).</param>
/// <param name="InvoluntarySwitches">Involuntary context switches (sched, else status).</param>
/// <param name="SchedInfo">The whole <c>/proc/&lt;id&gt;/sched</c>, when the kernel has it (CONFIG_SCHED_DEBUG).</param>
public sealed record TaskSnapshot(
    TimeSpan Timestamp,
    int TaskId,
    ulong? RunNs,
    ulong? WaitNs,
    ulong? Timeslices,
    ulong VoluntarySwitches,
    ulong InvoluntarySwitches,
    TaskSchedInfo? SchedInfo);

/// <summary>What one task did between two <see cref="TaskSnapshot"/>s.</summary>
/// <param name="Interval">Time between the snapshots.</param>
/// <param name="RunNs">Nanoseconds run; null when a snapshot lacks run time.</param>
/// <param name="WaitNs">Nanoseconds waited runnable; null when a snapshot lacks it.</param>
/// <param name="Timeslices">Timeslices run; null when a snapshot lacks it.</param>
/// <param name="CpuUsage">CPUs kept busy on average (run time over interval; 1.0 is one full CPU); null without run time.</param>
/// <param name="WaitFraction">Share of the interval spent waiting runnable; null without wait time.</param>
/// <param name="VoluntarySwitchesPerSecond">Voluntary context switches per second.</param>
/// <param name="InvoluntarySwitchesPerSecond">Involuntary context switches (preemptions) per second.</param>
public sealed record TaskDelta(
    TimeSpan Interval,
    ulong? RunNs,
    ulong? WaitNs,
    ulong? Timeslices,
    double? CpuUsage,
    double? WaitFraction,
    double VoluntarySwitchesPerSecond,
    double InvoluntarySwitchesPerSecond);
