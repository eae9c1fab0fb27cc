using System.Diagnostics.CodeAnalysis;

namespace SchedCP.Repository;

/// <summary>Factory methods for <see cref="RepositoryOutcome{T}"/>.</summary>
public static class RepositoryOutcome
{
    /// <summary>A successful outcome carrying <paramref name="value"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="value">The result.</param>
    /// <returns>The outcome.</returns>
    public static RepositoryOutcome<T> Success<T>(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="code">The kind of failure.</param>
    /// <param name="reason">What was wrong and what to do.</param>
    /// <returns>The outcome.</returns>
    public static RepositoryOutcome<T> Failure<T>(RepositoryErrorCode code, string reason) => new(default, new RepositoryError(code, reason));

    /// <summary>A failed outcome carrying an existing error (to pass a failure on under another result type).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="error">The error.</param>
    /// <returns>The outcome.</returns>
    public static RepositoryOutcome<T> FromError<T>(RepositoryError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}

/// <summary>
/// The result of a repository operation whose failure is expected (bad input, unknown name, refused promotion):
/// either a value or a <see cref="RepositoryError"/>. Exceptions are kept for bugs.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public readonly struct RepositoryOutcome<T>
{
    internal RepositoryOutcome(T? value, RepositoryError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="Succeeded"/> is <see langword="true"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure when <see cref="Succeeded"/> is <see langword="false"/>.</summary>
    public RepositoryError? Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>Returns the value or throws when the outcome failed; for callers that treat failure as a bug.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The outcome failed.</exception>
    public T GetValueOrThrow() => Succeeded ? Value : throw new InvalidOperationException(Error.ToString());

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"Success({Value})" : $"Failure({Error})";
}
