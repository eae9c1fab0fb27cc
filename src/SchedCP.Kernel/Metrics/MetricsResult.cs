using System.Diagnostics.CodeAnalysis;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Either a value or the <see cref="MetricsFailure"/> that prevented it. Collectors and parsers return this instead
/// of throwing for expected failures (a missing file, a truncated read, perf not installed).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct MetricsResult<T>
{
    internal MetricsResult(T? value, MetricsFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value; default when <see cref="Failure"/> is set.</summary>
    public T? Value { get; }

    /// <summary>Why there is no value, or null on success.</summary>
    public MetricsFailure? Failure { get; }

    /// <summary>True when there is a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    /// <summary>Gets the value, or the failure.</summary>
    /// <param name="value">The value on success.</param>
    /// <param name="failure">The failure otherwise.</param>
    /// <returns>True on success.</returns>
    public bool TryGetValue([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out MetricsFailure? failure)
    {
        value = Value;
        failure = Failure;
        return failure is null;
    }

    /// <inheritdoc />
    public override string ToString() => Failure is { } f ? f.ToString() : $"{Value}";
}

/// <summary>Creates <see cref="MetricsResult{T}"/> values.</summary>
public static class MetricsResult
{
    /// <summary>A successful result.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    public static MetricsResult<T> Success<T>(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="failure">Why there is no value.</param>
    public static MetricsResult<T> Failed<T>(MetricsFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(default, failure);
    }
}
