using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Trials;

/// <summary>
/// One trial in the sandbox: start a scheduler, wait for the kernel to report it enabled, run a CPU workload while
/// sampling <c>/sys/kernel/sched_ext</c>, then stop the scheduler and record how it exited.
/// </summary>
/// <param name="Scheduler">The scheduler under test.</param>
public sealed record SchedulerTrial(SchedulerUnderTest Scheduler)
{
    /// <summary>Busy-loop workers to run while the scheduler is attached. Default 4.</summary>
    public int WorkloadThreads { get; init; } = 4;

    /// <summary>How long the workload runs. Default 3 s.</summary>
    public TimeSpan WorkloadDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait for the kernel to report <c>enabled</c>. Default 20 s.</summary>
    public TimeSpan AttachTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait after stopping for <c>disabled</c>. Default 15 s.</summary>
    public TimeSpan DetachTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Only run the kernel verifier (BPF objects only): load and exit without attaching.</summary>
    public bool LoadOnly { get; init; }

    /// <summary>
    /// Fault injection: end the scheduler's process with SIGKILL instead of SIGINT after the workload, as a crash would.
    /// The kernel must unregister the scheduler when its link's last file descriptor goes.
    /// </summary>
    public bool KillInsteadOfStop { get; init; }

    /// <summary>A wall-clock limit for the whole guest run; null uses the sandbox default.</summary>
    public TimeSpan? Timeout { get; init; }
}
