using System.Diagnostics.CodeAnalysis;

namespace SchedCP.Agents.Runtime;

/// <summary>
/// The result of an operation that can fail in an expected way: either a value or a
/// <see cref="RuntimeError"/> with a human-readable reason. Exceptions are kept for bugs.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct Outcome<T>
{
    internal Outcome(T? value, RuntimeError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="IsSuccess"/>; otherwise default.</summary>
    public T? Value { get; init; }

    /// <summary>The failure, or null on success.</summary>
    public RuntimeError? Error { get; init; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Returns the value, or throws when the caller assumed success wrongly (a bug).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The outcome is a failure.</exception>
    public T GetValueOrThrow() => IsSuccess ? Value! : throw new InvalidOperationException($"Outcome is a failure: {Error}");

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Success({Value})" : $"Failure({Error})";
}
