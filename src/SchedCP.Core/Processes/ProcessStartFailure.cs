namespace SchedCP.Core.Processes;

/// <summary>Why a process did not start.</summary>
public enum ProcessStartFailureKind
{
    /// <summary>No executable at that path or on PATH.</summary>
    NotFound,

    /// <summary>The file exists but this process may not execute it.</summary>
    PermissionDenied,

    /// <summary>Any other reason the operating system gave.</summary>
    Other,
}

/// <summary>A process that could not be started: what, why, and what to do about it.</summary>
/// <param name="Kind">The reason, as a value to branch on.</param>
/// <param name="FileName">The executable that was asked for.</param>
/// <param name="Detail">The operating system's own message.</param>
/// <param name="Message">A sentence for a person: what failed and what to check.</param>
public sealed record ProcessStartFailure(ProcessStartFailureKind Kind, string FileName, string Detail, string Message);
