namespace SchedCP.Kernel.Analysis;

/// <summary>
/// One thread of an observed process tree, as last seen. Times are cumulative from the thread's start, read from
/// <c>/proc/&lt;tid&gt;/schedstat</c> and <c>sched</c>/<c>status</c>.
/// </summary>
/// <param name="ProcessId">The process (thread group) id.</param>
/// <param name="ThreadId">The thread id.</param>
/// <param name="Name">The thread's name (comm) when last seen.</param>
/// <param name="FirstSeen">Monotonic time it was first seen.</param>
/// <param name="LastSeen">Monotonic time it was last seen.</param>
/// <param name="Exited">True when it disappeared before the observation ended.</param>
/// <param name="RunNs">CPU time in nanoseconds.</param>
/// <param name="WaitNs">Time runnable but waiting for a CPU, in nanoseconds.</param>
/// <param name="VoluntarySwitches">Voluntary context switches (it blocked or slept).</param>
/// <param name="InvoluntarySwitches">Involuntary context switches (it was preempted).</param>
public sealed record TaskObservation(
    int ProcessId,
    int ThreadId,
    string Name,
    TimeSpan FirstSeen,
    TimeSpan LastSeen,
    bool Exited,
    ulong RunNs,
    ulong WaitNs,
    ulong VoluntarySwitches,
    ulong InvoluntarySwitches)
{
    /// <summary>How long it was seen alive (a lower bound; up to one poll interval short at each end).</summary>
    public TimeSpan ObservedLifetime => LastSeen - FirstSeen;
}
