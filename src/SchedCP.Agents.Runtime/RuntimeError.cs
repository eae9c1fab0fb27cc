using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime;

/// <summary>An expected failure: what went wrong and what to do about it, in words a person can act on.</summary>
/// <param name="Kind">The kind of failure, for programs.</param>
/// <param name="Message">The reason and what to do, for people; <see cref="Failure.Remedy"/> is empty.</param>
public sealed record RuntimeError(RuntimeErrorCode Kind, string Message) : Failure<RuntimeErrorCode>(Kind, Message, string.Empty);
