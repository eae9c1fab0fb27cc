using SchedCP.Core.Results;

namespace SchedCP.Core.Diffs;

/// <summary>Why a unified diff was not applied.</summary>
public enum DiffFailureKind
{
    /// <summary>The text is not a usable unified diff: no hunk, a malformed header, nothing changed, too long.</summary>
    Malformed,

    /// <summary>The diff names another file, more than one file, a path that climbs out, or creates or deletes a file.</summary>
    WrongFile,

    /// <summary>A hunk's lines are not in the text the diff is applied to: the text changed since the diff was made.</summary>
    BaseMismatch,
}

/// <summary>A unified diff that was not applied, with the hunk and line that failed and what to do.</summary>
/// <param name="Kind">The category of failure.</param>
/// <param name="Message">What was wrong, naming the hunk and line.</param>
/// <param name="Remedy">What to do about it.</param>
/// <param name="HunksApplied">How many hunks applied before the one that failed (nothing is written either way).</param>
public sealed record DiffFailure(DiffFailureKind Kind, string Message, string Remedy, int HunksApplied = 0)
    : Failure<DiffFailureKind>(Kind, Message, Remedy);
