namespace SchedCP.Kernel.Analysis;

/// <summary>
/// The distribution of per-task lengths (CPU time or lifetime, in milliseconds): count and nearest-rank percentiles.
/// </summary>
/// <param name="Count">Tasks.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="Max">Longest.</param>
/// <param name="LongTasks">Tasks at least half as long as the longest.</param>
public sealed record TaskLengthDistribution(int Count, double P50, double P90, double Max, int LongTasks)
{
    /// <summary>An empty distribution.</summary>
    public static TaskLengthDistribution Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The longest task over the median; 0 when empty.</summary>
    public double TailRatio => P50 > 0 ? Max / P50 : 0;

    /// <summary>Builds the distribution of <paramref name="lengths"/>.</summary>
    /// <param name="lengths">Task lengths in milliseconds.</param>
    public static TaskLengthDistribution Of(IEnumerable<double> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var sorted = lengths.Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        var max = sorted[^1];
        return new TaskLengthDistribution(sorted.Length, Rank(0.5), Rank(0.9), max, sorted.Count(l => l >= max / 2));
    }
}
