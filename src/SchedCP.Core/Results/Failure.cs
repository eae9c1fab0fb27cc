namespace SchedCP.Core.Results;

/// <summary>
/// An expected failure: what went wrong and what to do about it, in words a person (or an agent) can act on.
/// Returned inside an <see cref="Outcome{T, TFailure}"/>, never thrown. Each area derives its own failure from
/// <see cref="Failure{TKind}"/> with its own kind enum; code that only reports failures (the MCP adapter, the CLI)
/// prints any of them through this base.
/// </summary>
/// <param name="Message">What went wrong, in a sentence.</param>
/// <param name="Remedy">What to do about it; empty when the message already says so.</param>
public abstract record Failure(string Message, string Remedy)
{
    /// <summary>The name of the failure's kind (its enum value), for logs and tool output that do not know the area.</summary>
    public abstract string KindName { get; }

    /// <summary>The message and the remedy in one sentence pair, for a person: "Message Remedy".</summary>
    /// <returns>The description.</returns>
    public string Describe() => Remedy.Length == 0 ? Message : $"{Message} {Remedy}";

    /// <summary>The kind, the message and the remedy: "Kind: Message Remedy".</summary>
    /// <returns>The text.</returns>
    public sealed override string ToString() => KindName.Length == 0 ? Describe() : $"{KindName}: {Describe()}";
}

/// <summary>A <see cref="Failure"/> whose kind is a value of an area's enum, for programs that branch on it.</summary>
/// <typeparam name="TKind">The area's kind enum.</typeparam>
/// <param name="Kind">The category of failure.</param>
/// <param name="Message">What went wrong, in a sentence.</param>
/// <param name="Remedy">What to do about it; empty when the message already says so.</param>
public abstract record Failure<TKind>(TKind Kind, string Message, string Remedy) : Failure(Message, Remedy)
    where TKind : struct, Enum
{
    /// <inheritdoc />
    public override string KindName => Kind.ToString();
}
