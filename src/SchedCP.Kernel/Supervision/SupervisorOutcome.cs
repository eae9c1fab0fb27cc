using System.Diagnostics.CodeAnalysis;

namespace SchedCP.Kernel.Supervision;

/// <summary>The result of a supervisor operation: a value, or a <see cref="SupervisorFailure"/>.</summary>
/// <typeparam name="T">The value's type.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Factory methods read best on the result type itself.")]
public readonly record struct SupervisorOutcome<T>
{
    private SupervisorOutcome(T? value, SupervisorFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value when the operation succeeded.</summary>
    public T? Value { get; }

    /// <summary>The failure otherwise.</summary>
    public SupervisorFailure? Failure { get; }

    /// <summary>True when the operation succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    /// <summary>A successful outcome.</summary>
    /// <param name="value">The value.</param>
    public static SupervisorOutcome<T> Success(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    /// <param name="failure">The failure.</param>
    public static SupervisorOutcome<T> Fail(SupervisorFailure failure) => new(default, failure);

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"ok: {Value}" : $"failed: {Failure}";
}
