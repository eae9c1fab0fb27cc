using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace SchedCP.Core.Results;

/// <summary>
/// The result of an operation whose failure is expected (a missing file, bad input, a refused start): either a value
/// or the <typeparamref name="TFailure"/> that prevented it. Exceptions are kept for bugs. A value and a failure
/// convert to the outcome implicitly, so an operation returns either one directly.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <typeparam name="TFailure">The area's failure, whose kind callers can switch on.</typeparam>
[SuppressMessage("Design", "CA1000", Justification = "Factory methods read best on the outcome type itself.")]
[SuppressMessage("Usage", "CA2225", Justification = "Success and Failed are the named alternates of the conversions.")]
public readonly record struct Outcome<T, TFailure>
    where TFailure : Failure
{
    [JsonConstructor]
    private Outcome(T? value, TFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value when <see cref="Succeeded"/>; otherwise default.</summary>
    public T? Value { get; }

    /// <summary>Why there is no value, or null on success.</summary>
    public TFailure? Failure { get; }

    /// <summary>True when there is a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    /// <summary>A successful outcome.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The outcome.</returns>
    public static Outcome<T, TFailure> Success(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    /// <param name="failure">Why there is no value.</param>
    /// <returns>The outcome.</returns>
    public static Outcome<T, TFailure> Failed(TFailure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <summary>A successful outcome holding <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Outcome<T, TFailure>(T value) => Success(value);

    /// <summary>A failed outcome holding <paramref name="failure"/>.</summary>
    /// <param name="failure">Why there is no value.</param>
    public static implicit operator Outcome<T, TFailure>(TFailure failure) => Failed(failure);

    /// <summary>Gets the value, or the failure.</summary>
    /// <param name="value">The value on success.</param>
    /// <param name="failure">The failure otherwise.</param>
    /// <returns>True on success.</returns>
    public bool TryGetValue([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out TFailure? failure)
    {
        value = Value;
        failure = Failure;
        return failure is null;
    }

    /// <summary>Returns the value, or throws when the caller assumed success wrongly (a bug).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The outcome is a failure.</exception>
    public T GetValueOrThrow() => Succeeded ? Value : throw new InvalidOperationException($"The outcome is a failure: {Failure}");

    /// <summary>Applies <paramref name="map"/> to the value, or passes the failure on.</summary>
    /// <typeparam name="TResult">The new value type.</typeparam>
    /// <param name="map">What to make of the value.</param>
    /// <returns>The mapped outcome.</returns>
    public Outcome<TResult, TFailure> Map<TResult>(Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Succeeded ? map(Value) : Failure;
    }

    /// <inheritdoc />
    public override string ToString() => Failure is { } failure ? failure.ToString() : $"{Value}";
}
