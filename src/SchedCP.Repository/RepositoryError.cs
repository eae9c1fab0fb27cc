using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// An expected failure of a repository operation: a kind a program can branch on and a message a person (or an agent)
/// can act on. The message says what was wrong and what to do about it, so <see cref="Failure.Remedy"/> is empty.
/// </summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">What was wrong and how to fix it, naming the offending field or parameter.</param>
public sealed record RepositoryError(RepositoryErrorCode Kind, string Message) : Failure<RepositoryErrorCode>(Kind, Message, string.Empty);
