using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Supervision;

/// <summary>How a supervised scheduler came to an end.</summary>
public enum SchedulerEnding
{
    /// <summary>The supervisor stopped it with SIGINT.</summary>
    Stopped,

    /// <summary>It ignored SIGINT and the supervisor killed its process tree.</summary>
    Killed,

    /// <summary>Its process exited on its own (for example after the kernel ejected it, or a crash).</summary>
    ProcessExited,

    /// <summary>The kernel disabled it while its process was still alive.</summary>
    EjectedByKernel,
}

/// <summary>The typed end of a supervised scheduler.</summary>
/// <param name="Ending">How it ended.</param>
/// <param name="Kind">The kernel's exit kind (the SCX_EXIT_* value) when the scheduler reported it; None otherwise.</param>
/// <param name="ExitCode">The scheduler's exit code from its exit info.</param>
/// <param name="Reason">The kernel's reason text.</param>
/// <param name="Message">The scheduler's message (for example from scx_bpf_error).</param>
/// <param name="ProcessExitCode">The process exit status, when it exited.</param>
public sealed record SchedulerExitReport(
    SchedulerEnding Ending,
    SchedExtExitKind Kind,
    long ExitCode,
    string Reason,
    string Message,
    int? ProcessExitCode)
{
    /// <summary>True for the exit kinds that mean the scheduler failed (ERROR, ERROR_BPF, ERROR_STALL).</summary>
    public bool IsError => Kind >= SchedExtExitKind.Error;

    /// <summary>
    /// The signal that killed the scheduler's process when nobody asked it to stop (for example SIGKILL from outside),
    /// or null. The kernel unregisters a scheduler whose loader dies, so the machine falls back to EEVDF.
    /// </summary>
    public int? KilledBySignal => Ending == SchedulerEnding.ProcessExited && ProcessExitCode > 128 && Kind == SchedExtExitKind.None
        ? ProcessExitCode - 128
        : null;

    /// <inheritdoc />
    public override string ToString() =>
        KilledBySignal is { } sig
            ? $"the scheduler's process was killed by signal {sig} without reporting an exit; the kernel unregistered it"
            : $"{Ending}: {Kind}{(Reason.Length > 0 ? $" ({Reason})" : "")}{(Message.Length > 0 ? $": {Message}" : "")}";
}
