namespace SchedCP.Repository;

/// <summary>
/// Ranks policy configurations on a workload from its runs. Each candidate run is divided by the mean of the baseline
/// runs of its own session; runs from sessions without a baseline are left out, since a number without a baseline
/// says nothing about improvement.
/// </summary>
public static class HistoryRanker
{
    // Two-sided 95% Student's t quantiles for 1..30 degrees of freedom; the normal quantile beyond.
    private static readonly double[] TQuantiles =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>Whether a larger value of <paramref name="metric"/> is better.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns><see langword="true"/> for throughput and utilisation.</returns>
    public static bool HigherIsBetter(RankingMetric metric) => metric is RankingMetric.Throughput or RankingMetric.CpuUtilisation;

    /// <summary>Ranks configurations best first (by mean ratio, then by the lower confidence bound, then by name).</summary>
    /// <param name="runs">The runs of one workload, baselines included.</param>
    /// <param name="metric">The metric to compare.</param>
    /// <returns>The rankings.</returns>
    public static IReadOnlyList<PolicyRanking> Rank(IEnumerable<RunRecord> runs, RankingMetric metric)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var all = runs.Where(r => r.Metrics.Get(metric) is > 0).ToList();
        var baselines = all.Where(r => r.IsBaseline)
            .GroupBy(r => r.SessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(r => r.Metrics.Get(metric)!.Value), StringComparer.Ordinal);

        var rankings = new List<PolicyRanking>();
        foreach (var group in all.Where(r => !r.IsBaseline && baselines.ContainsKey(r.SessionId))
                     .GroupBy(r => (r.PolicyName, r.ParametersKey)))
        {
            var ratios = group.Select(r => Ratio(metric, baselines[r.SessionId], r.Metrics.Get(metric)!.Value)).ToList();
            var n = ratios.Count;
            var mean = ratios.Average();
            var sd = n > 1 ? Math.Sqrt(ratios.Sum(x => (x - mean) * (x - mean)) / (n - 1)) : 0;
            double? low = null, high = null;
            if (n > 1)
            {
                var half = TQuantile(n - 1) * sd / Math.Sqrt(n);
                low = mean - half;
                high = mean + half;
            }

            var first = group.First();
            rankings.Add(new PolicyRanking(first.PolicyName, first.Parameters, metric, n, group.Select(r => r.SessionId).Distinct(StringComparer.Ordinal).Count(), mean, sd, low, high));
        }

        return rankings
            .OrderByDescending(r => r.MeanRatio)
            .ThenByDescending(r => r.ConfidenceLow ?? double.NegativeInfinity)
            .ThenBy(r => r.PolicyName, StringComparer.Ordinal)
            .ToList();
    }

    private static double Ratio(RankingMetric metric, double baseline, double candidate) =>
        HigherIsBetter(metric) ? candidate / baseline : baseline / candidate;

    private static double TQuantile(int degreesOfFreedom) =>
        degreesOfFreedom <= TQuantiles.Length ? TQuantiles[degreesOfFreedom - 1] : 1.960;
}
