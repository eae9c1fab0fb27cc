using System.Diagnostics.CodeAnalysis;

namespace SchedCP.Core.Processes;

/// <summary>
/// How a run of <see cref="ProcessRunner"/> ended: it did not start (<see cref="StartFailure"/>), it exited
/// (<see cref="ExitCode"/>), or it was killed with its process tree because it ran past its timeout
/// (<see cref="TimedOut"/>) or the caller cancelled (<see cref="Cancelled"/>).
/// </summary>
public sealed record ProcessRunResult
{
    /// <summary>The exit status; -1 when the process did not start or was killed for a timeout or a cancellation.</summary>
    public int ExitCode { get; init; } = -1;

    /// <summary>Standard output, bounded.</summary>
    public CapturedOutput StandardOutput { get; init; } = CapturedOutput.Empty;

    /// <summary>Standard error, bounded.</summary>
    public CapturedOutput StandardError { get; init; } = CapturedOutput.Empty;

    /// <summary>True when the process (or its output) outlived <see cref="ProcessRunRequest.Timeout"/> and the tree was killed.</summary>
    public bool TimedOut { get; init; }

    /// <summary>True when the caller's cancellation token fired and the tree was killed.</summary>
    public bool Cancelled { get; init; }

    /// <summary>From start to the end of its output, by the runner's clock.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The process id it ran as; 0 when it did not start.</summary>
    public int ProcessId { get; init; }

    /// <summary>Why it did not start, or null when it did.</summary>
    public ProcessStartFailure? StartFailure { get; init; }

    /// <summary>True when the process started.</summary>
    [MemberNotNullWhen(false, nameof(StartFailure))]
    public bool Started => StartFailure is null;

    /// <summary>True when it started and ended on its own with status 0.</summary>
    public bool Succeeded => Started && !TimedOut && !Cancelled && ExitCode == 0;
}
