namespace SchedCP.Repository;

/// <summary>
/// An expected failure: a code a program can branch on and a reason a person (or an agent) can act on.
/// The reason says what was wrong and what to do about it.
/// </summary>
/// <param name="Code">The kind of failure.</param>
/// <param name="Reason">What was wrong and how to fix it, naming the offending field or parameter.</param>
public sealed record RepositoryError(RepositoryErrorCode Code, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Reason}";
}
