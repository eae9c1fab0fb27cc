namespace SchedCP.Repository;

/// <summary>The unit a duration parameter is expressed in on the command line or in <c>.rodata</c>.</summary>
public enum DurationUnit
{
    /// <summary>Nanoseconds (<c>ns</c>).</summary>
    Nanoseconds,

    /// <summary>Microseconds (<c>us</c>).</summary>
    Microseconds,

    /// <summary>Milliseconds (<c>ms</c>).</summary>
    Milliseconds,

    /// <summary>Seconds (<c>s</c>).</summary>
    Seconds,
}
