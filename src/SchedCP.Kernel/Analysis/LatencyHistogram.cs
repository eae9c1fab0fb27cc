namespace SchedCP.Kernel.Analysis;

/// <summary>One bucket of a log2 histogram: values in [<see cref="Low"/>, <see cref="High"/>).</summary>
/// <param name="Low">Lowest value in the bucket (inclusive).</param>
/// <param name="High">Upper bound (exclusive).</param>
/// <param name="Count">Values that fell in it.</param>
public sealed record HistogramBucket(double Low, double High, long Count);

/// <summary>
/// A log2 histogram as the run-queue latency probe records it: slot i counts values v with ⌊log2 v⌋ = i (slot 0 also
/// holds 0), so bucket i spans [2^i, 2^(i+1)) and bucket 0 spans [0, 2). Percentiles are estimated by linear
/// interpolation inside the bucket that holds the rank, so they are exact to within one bucket (a factor of two).
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Most slots a histogram may have (values up to 2^32 units).</summary>
    public const int MaxSlots = 32;

    private LatencyHistogram(string unit, long[] slots, long count, double sum)
    {
        Unit = unit;
        Slots = slots;
        Count = count;
        Sum = sum;
        Buckets = slots.Select((c, i) => new HistogramBucket(i == 0 ? 0 : Math.Pow(2, i), Math.Pow(2, i + 1), c)).ToArray();
    }

    /// <summary>The unit of the values, e.g. <c>us</c>.</summary>
    public string Unit { get; }

    /// <summary>Counts per log2 slot, trailing empty slots left out.</summary>
    public IReadOnlyList<long> Slots { get; }

    /// <summary>The buckets with their bounds.</summary>
    public IReadOnlyList<HistogramBucket> Buckets { get; }

    /// <summary>Values recorded.</summary>
    public long Count { get; }

    /// <summary>Sum of the values (exact, not from the buckets).</summary>
    public double Sum { get; }

    /// <summary>Mean value; 0 when empty.</summary>
    public double Mean => Count > 0 ? Sum / Count : 0;

    /// <summary>Estimated median.</summary>
    public double P50 => Percentile(0.5);

    /// <summary>Estimated 90th percentile.</summary>
    public double P90 => Percentile(0.9);

    /// <summary>Estimated 99th percentile.</summary>
    public double P99 => Percentile(0.99);

    /// <summary>An empty histogram.</summary>
    /// <param name="unit">The unit of the values.</param>
    public static LatencyHistogram Empty(string unit) => new(unit, [], 0, 0);

    /// <summary>Builds a histogram from log2 slot counts.</summary>
    /// <param name="unit">The unit of the values.</param>
    /// <param name="slots">Counts per slot (at most <see cref="MaxSlots"/>, none negative).</param>
    /// <param name="sum">The exact sum of the values, when known; else estimated from bucket midpoints.</param>
    /// <exception cref="ArgumentException">A count is negative or there are too many slots.</exception>
    public static LatencyHistogram FromSlots(string unit, IEnumerable<long> slots, double? sum = null)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(slots);
        var counts = slots.ToArray();
        if (counts.Length > MaxSlots)
        {
            throw new ArgumentException($"A log2 histogram has at most {MaxSlots} slots; got {counts.Length}.", nameof(slots));
        }

        if (counts.Any(c => c < 0))
        {
            throw new ArgumentException("Slot counts cannot be negative.", nameof(slots));
        }

        var last = Array.FindLastIndex(counts, c => c > 0);
        counts = counts[..(last + 1)];
        var estimated = counts.Select((c, i) => c * (i == 0 ? 1.0 : 1.5 * Math.Pow(2, i))).Sum();
        return new LatencyHistogram(unit, counts, counts.Sum(), sum ?? estimated);
    }

    /// <summary>
    /// Estimates the value below which a fraction <paramref name="p"/> of the recorded values lie, interpolating
    /// linearly inside the bucket that holds that rank; 0 when empty.
    /// </summary>
    /// <param name="p">The fraction, in [0, 1].</param>
    public double Percentile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        if (Count == 0)
        {
            return 0;
        }

        var rank = p * Count;
        long below = 0;
        foreach (var bucket in Buckets)
        {
            if (bucket.Count > 0 && below + bucket.Count >= rank)
            {
                return bucket.Low + ((bucket.High - bucket.Low) * Math.Max(0, rank - below) / bucket.Count);
            }

            below += bucket.Count;
        }

        return Buckets[^1].High;
    }

    /// <summary>Values in the buckets that lie entirely at or above <paramref name="value"/>.</summary>
    /// <param name="value">The threshold.</param>
    public long CountAtLeast(double value) => Buckets.Where(b => b.Low >= value).Sum(b => b.Count);

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"n={Count} mean={Mean:F0}{Unit} p50≈{P50:F0}{Unit} p99≈{P99:F0}{Unit}");
}
