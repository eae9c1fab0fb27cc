namespace SchedCP.Kernel.Metrics;

/// <summary>Where collectors find procfs, and the clock they stamp snapshots with.</summary>
internal static class ProcRoot
{
    public static string Combine(string root, string relative)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        return Path.Combine(root, relative);
    }

    /// <summary>Monotonic time as a <see cref="TimeSpan"/>; only differences are meaningful.</summary>
    public static TimeSpan Now(TimeProvider time) => time.GetElapsedTime(0, time.GetTimestamp());

    public static double PerSecond(double count, TimeSpan interval) =>
        interval > TimeSpan.Zero ? count / interval.TotalSeconds : 0;

    public static ulong Minus(ulong current, ulong previous) => current >= previous ? current - previous : 0;
}
