namespace SchedCP.Agents.Runtime;

/// <summary>An expected failure: what went wrong and what to do about it, in words a person can act on.</summary>
/// <param name="Code">The kind of failure, for programs.</param>
/// <param name="Message">The reason, for people.</param>
public sealed record RuntimeError(RuntimeErrorCode Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
