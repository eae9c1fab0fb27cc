using SchedCP.Core.Results;

namespace SchedCP.Kernel.Trials;

/// <summary>Why a scheduler trial did not end with the scheduler attached, run and cleanly detached.</summary>
public enum TrialFailureKind
{
    /// <summary>The sandbox itself failed (toolchain, QEMU, boot, timeout).</summary>
    Sandbox,

    /// <summary>The loader refused its input: not a sched_ext object, an unknown .rodata variable, a bad value.</summary>
    LoaderRefusedInput,

    /// <summary>The kernel verifier refused to load the object.</summary>
    VerifierRejected,

    /// <summary>The object loaded but the struct_ops link could not be attached.</summary>
    AttachFailed,

    /// <summary>The kernel never reported the scheduler enabled.</summary>
    NeverAttached,

    /// <summary>The scheduler was ejected with an error exit kind (ERROR, ERROR_BPF, ERROR_STALL).</summary>
    SchedulerError,

    /// <summary>The loader or scheduler process was killed by a signal without reporting an exit.</summary>
    ProcessKilled,
}

/// <summary>A typed account of what went wrong in a trial, with the evidence in the message.</summary>
/// <param name="Kind">The category.</param>
/// <param name="Message">What happened, with the kernel's or loader's own words.</param>
public sealed record TrialFailure(TrialFailureKind Kind, string Message) : Failure<TrialFailureKind>(Kind, Message, string.Empty);
