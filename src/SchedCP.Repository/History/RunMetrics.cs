namespace SchedCP.Repository;

/// <summary>What one run measured. Every field is optional; rankings use the runs that carry the chosen metric.</summary>
/// <param name="MakespanSeconds">Wall-clock time to finish the whole workload (lower is better).</param>
/// <param name="Throughput">Work items per second (higher is better).</param>
/// <param name="LatencyP50Microseconds">Median latency.</param>
/// <param name="LatencyP95Microseconds">95th-percentile latency.</param>
/// <param name="LatencyP99Microseconds">99th-percentile latency.</param>
/// <param name="CpuUtilisation">Average CPU utilisation from 0 to 1.</param>
/// <param name="RunDelayMicroseconds">Average time runnable tasks waited for a CPU (schedstat run delay).</param>
public sealed record RunMetrics(
    double? MakespanSeconds = null,
    double? Throughput = null,
    double? LatencyP50Microseconds = null,
    double? LatencyP95Microseconds = null,
    double? LatencyP99Microseconds = null,
    double? CpuUtilisation = null,
    double? RunDelayMicroseconds = null)
{
    /// <summary>The value of <paramref name="metric"/>, if measured.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The value or <see langword="null"/>.</returns>
    public double? Get(RankingMetric metric) => metric switch
    {
        RankingMetric.Makespan => MakespanSeconds,
        RankingMetric.Throughput => Throughput,
        RankingMetric.LatencyP50 => LatencyP50Microseconds,
        RankingMetric.LatencyP95 => LatencyP95Microseconds,
        RankingMetric.LatencyP99 => LatencyP99Microseconds,
        RankingMetric.CpuUtilisation => CpuUtilisation,
        RankingMetric.RunDelay => RunDelayMicroseconds,
        _ => null,
    };

    /// <summary>Whether every present value is finite and not negative (and utilisation at most 1).</summary>
    /// <returns>The problem, or <see langword="null"/> when the metrics are plausible.</returns>
    public string? FindProblem()
    {
        foreach (var metric in Enum.GetValues<RankingMetric>())
        {
            if (Get(metric) is { } v && (!double.IsFinite(v) || v < 0))
            {
                return $"metric {metric} is {v}; metrics must be finite and not negative";
            }
        }

        return CpuUtilisation > 1 ? "CPU utilisation is a fraction from 0 to 1" : null;
    }
}
