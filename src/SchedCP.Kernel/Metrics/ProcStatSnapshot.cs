namespace SchedCP.Kernel.Metrics;

/// <summary>
/// <c>/proc/stat</c> at one moment: CPU time per CPU and in total, context switches, processes created since boot and
/// the processes running or blocked right now.
/// </summary>
/// <param name="Timestamp">Monotonic time of the capture (from the collector's <see cref="TimeProvider"/>); only differences between snapshots mean something.</param>
/// <param name="Total">The aggregate <c>cpu</c> line.</param>
/// <param name="Cpus">One entry per online CPU (<c>cpuN</c> lines), in file order; offline CPUs are absent.</param>
/// <param name="ContextSwitches">Context switches on all CPUs since boot (<c>ctxt</c>).</param>
/// <param name="ProcessesCreated">Forks since boot (<c>processes</c>).</param>
/// <param name="ProcsRunning">Runnable tasks now (<c>procs_running</c>).</param>
/// <param name="ProcsBlocked">Tasks blocked on I/O now (<c>procs_blocked</c>).</param>
/// <param name="BootTime">Boot time in seconds since the epoch (<c>btime</c>); 0 if absent.</param>
public sealed record ProcStatSnapshot(
    TimeSpan Timestamp,
    CpuTimes Total,
    IReadOnlyList<CpuTimes> Cpus,
    ulong ContextSwitches,
    ulong ProcessesCreated,
    ulong ProcsRunning,
    ulong ProcsBlocked,
    ulong BootTime);

/// <summary>What changed between two <see cref="ProcStatSnapshot"/>s: utilisation per CPU and event rates.</summary>
/// <param name="Interval">Time between the two snapshots.</param>
/// <param name="Total">Utilisation of all CPUs together.</param>
/// <param name="Cpus">Utilisation per CPU, for the CPUs present in both snapshots, in the current snapshot's order.</param>
/// <param name="ContextSwitchesPerSecond">Context switches per second on all CPUs.</param>
/// <param name="ProcessesCreatedPerSecond">Forks per second.</param>
/// <param name="ProcsRunning">Runnable tasks at the current snapshot.</param>
/// <param name="ProcsBlocked">Tasks blocked on I/O at the current snapshot.</param>
public sealed record ProcStatDelta(
    TimeSpan Interval,
    CpuUtilisation Total,
    IReadOnlyList<CpuUtilisation> Cpus,
    double ContextSwitchesPerSecond,
    double ProcessesCreatedPerSecond,
    ulong ProcsRunning,
    ulong ProcsBlocked);
