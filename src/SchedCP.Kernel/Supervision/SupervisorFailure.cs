using SchedCP.Core.Results;

namespace SchedCP.Kernel.Supervision;

/// <summary>Why the supervisor refused or could not complete an operation.</summary>
public enum SupervisorFailureKind
{
    /// <summary>This kernel has no sched_ext.</summary>
    NotSupported,

    /// <summary>A scheduler this supervisor does not own is attached.</summary>
    ForeignSchedulerAttached,

    /// <summary>The launch was malformed (missing executable, changed executable, bad argument).</summary>
    InvalidLaunch,

    /// <summary>The process could not be started.</summary>
    LaunchFailed,

    /// <summary>The kernel did not report the scheduler enabled (with its ops name, and a new enable_seq) in time.</summary>
    AttachNotConfirmed,

    /// <summary>Too many starts in the rate-limit window.</summary>
    RateLimited,

    /// <summary>No scheduler owned by this supervisor is running.</summary>
    NotRunning,

    /// <summary>The scheduler would not go away even after SIGKILL.</summary>
    StopFailed,
}

/// <summary>An expected failure of a supervisor operation: what went wrong and what to do. Returned, never thrown.</summary>
/// <param name="Kind">The category.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Remedy">What to do about it.</param>
public sealed record SupervisorFailure(SupervisorFailureKind Kind, string Message, string Remedy) : Failure<SupervisorFailureKind>(Kind, Message, Remedy)
{
    /// <summary>For a failed switch: whether the previous scheduler was started again.</summary>
    public bool PreviousRestored { get; init; }

    /// <summary>For a failed start: how the scheduler ended, when it started and then died.</summary>
    public SchedulerExitReport? Exit { get; init; }
}
