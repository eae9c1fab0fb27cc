using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Slot_i_spans_two_to_the_i_up_to_two_to_the_i_plus_one_and_slot_zero_holds_zero()
    {
        var h = LatencyHistogram.FromSlots("us", [1, 2, 0, 3]);

        Assert.Equal([(0.0, 2.0), (2.0, 4.0), (4.0, 8.0), (8.0, 16.0)], h.Buckets.Select(b => (b.Low, b.High)));
        Assert.Equal(6, h.Count);
    }

    [Fact]
    public void Percentiles_interpolate_inside_the_bucket_that_holds_the_rank()
    {
        var one = LatencyHistogram.FromSlots("us", [0, 0, 0, 10]);
        Assert.Equal(12, one.P50, 6);
        Assert.Equal(15.92, one.P99, 6);

        // 90 waits in [4, 8) and 10 in [1024, 2048): the median is short, the p99 is in the slow bucket.
        var slots = new long[11];
        slots[2] = 90;
        slots[10] = 10;
        var two = LatencyHistogram.FromSlots("us", slots);
        Assert.Equal(4 + (4 * 50 / 90.0), two.P50, 6);
        Assert.Equal(1024 + (1024 * 0.9), two.P99, 6);
        Assert.Equal(10, two.CountAtLeast(1024));
    }

    [Fact]
    public void Trailing_empty_slots_are_dropped_and_the_exact_sum_gives_the_mean()
    {
        var h = LatencyHistogram.FromSlots("us", [0, 4, 0, 0, 0], sum: 10);

        Assert.Equal([0L, 4L], h.Slots);
        Assert.Equal(2.5, h.Mean);
    }

    [Fact]
    public void An_empty_histogram_has_zero_percentiles()
    {
        var h = LatencyHistogram.Empty("us");

        Assert.Equal(0, h.Count);
        Assert.Equal(0, h.P50);
        Assert.Equal(0, h.P99);
        Assert.Equal(0, h.Mean);
    }

    [Fact]
    public void Negative_counts_too_many_slots_and_fractions_outside_zero_to_one_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LatencyHistogram.FromSlots("us", [1, -1]));
        Assert.Throws<ArgumentException>(() => LatencyHistogram.FromSlots("us", new long[LatencyHistogram.MaxSlots + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHistogram.FromSlots("us", [1]).Percentile(1.5));
    }

    [Property]
    public Property Percentiles_rise_with_the_fraction_and_stay_inside_the_occupied_buckets(NonNegativeInt[] raw)
    {
        var slots = raw.Take(LatencyHistogram.MaxSlots).Select(c => (long)(c.Get % 1000)).ToArray();
        var h = LatencyHistogram.FromSlots("us", slots);
        if (h.Count == 0)
        {
            return (h.P99 == 0).ToProperty();
        }

        var low = h.Buckets.First(b => b.Count > 0).Low;
        var high = h.Buckets.Last(b => b.Count > 0).High;
        var ps = new[] { 0.0, 0.1, 0.5, 0.9, 0.99, 1.0 }.Select(h.Percentile).ToArray();
        return (ps.Zip(ps.Skip(1)).All(p => p.First <= p.Second) && ps.All(p => p >= low && p <= high)).ToProperty();
    }
}
