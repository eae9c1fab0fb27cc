namespace SchedCP.Core.Diffs;

/// <summary>How strictly a hunk must match the text it is applied to.</summary>
public enum DiffMatching
{
    /// <summary>
    /// Each hunk applies at the line its header names and its context and removed lines equal the text to the
    /// character. For diffs a program made against the text it holds (a file under a lease).
    /// </summary>
    Exact,

    /// <summary>
    /// Each hunk's context and removed lines must match (trailing white space aside); a hunk whose header line is off
    /// is searched for nearby, the way <c>patch</c> applies with an offset. For diffs a person or a model wrote,
    /// whose header counts are often wrong while the lines are right. Nothing is guessed beyond that.
    /// </summary>
    Nearby,
}
