namespace SchedCP.Agents.Runtime;

/// <summary>Creates <see cref="Outcome{T}"/> values.</summary>
public static class Outcome
{
    /// <summary>A successful outcome holding <paramref name="value"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The result.</param>
    /// <returns>The outcome.</returns>
    public static Outcome<T> Success<T>(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    /// <typeparam name="T">The value type the operation would have produced.</typeparam>
    /// <param name="code">The kind of failure.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <returns>The outcome.</returns>
    public static Outcome<T> Failure<T>(RuntimeErrorCode code, string message) => new(default, new RuntimeError(code, message));

    /// <summary>A failed outcome.</summary>
    /// <typeparam name="T">The value type the operation would have produced.</typeparam>
    /// <param name="error">The failure.</param>
    /// <returns>The outcome.</returns>
    public static Outcome<T> Failure<T>(RuntimeError error) => new(default, error);
}
