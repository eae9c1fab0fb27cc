namespace SchedCP.Kernel.Metrics;

/// <summary>The resources the kernel reports pressure stall information for, under <c>/proc/pressure/</c>.</summary>
public enum PressureResource
{
    /// <summary><c>/proc/pressure/cpu</c>: time tasks were runnable but waiting for a CPU.</summary>
    Cpu,

    /// <summary><c>/proc/pressure/memory</c>.</summary>
    Memory,

    /// <summary><c>/proc/pressure/io</c>.</summary>
    Io,
}

/// <summary>One line of a PSI file: the share of time some (or all) tasks were stalled.</summary>
/// <param name="Avg10">Percentage of the last 10 s with a stall (0 to 100).</param>
/// <param name="Avg60">Percentage of the last 60 s.</param>
/// <param name="Avg300">Percentage of the last 300 s.</param>
/// <param name="TotalMicroseconds">Stalled microseconds since boot.</param>
public readonly record struct PressureLine(double Avg10, double Avg60, double Avg300, ulong TotalMicroseconds);

/// <summary>A PSI file (<c>/proc/pressure/cpu</c> by default) at one moment.</summary>
/// <param name="Timestamp">Monotonic time of the capture; only differences between snapshots mean something.</param>
/// <param name="Some">Time at least one task was stalled.</param>
/// <param name="Full">Time all non-idle tasks were stalled at once; null on kernels that print no <c>full</c> line for CPU (before 5.13).</param>
public sealed record PressureSnapshot(TimeSpan Timestamp, PressureLine Some, PressureLine? Full);

/// <summary>Stall shares over the interval between two <see cref="PressureSnapshot"/>s.</summary>
/// <param name="Interval">Time between the snapshots.</param>
/// <param name="SomeStallFraction">Share of the interval at least one task was stalled (0 to 1).</param>
/// <param name="FullStallFraction">Share of the interval all non-idle tasks were stalled; null without a <c>full</c> line.</param>
public sealed record PressureDelta(TimeSpan Interval, double SomeStallFraction, double? FullStallFraction);

/// <summary>
/// <c>/proc/loadavg</c> at one moment. It has no delta: the kernel already averages.
/// </summary>
/// <param name="Timestamp">Monotonic time of the capture.</param>
/// <param name="Load1">Load average over 1 minute.</param>
/// <param name="Load5">Load average over 5 minutes.</param>
/// <param name="Load15">Load average over 15 minutes.</param>
/// <param name="Runnable">Runnable tasks now.</param>
/// <param name="Tasks">Tasks (threads) that exist now.</param>
/// <param name="LastPid">The most recently assigned pid.</param>
public sealed record LoadAverage(TimeSpan Timestamp, double Load1, double Load5, double Load15, ulong Runnable, ulong Tasks, ulong LastPid);
