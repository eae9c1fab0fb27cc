namespace SchedCP.Repository.Tests.History;

public class HistoryRankerTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int _next;

    private static RunRecord Run(string policy, string session, double makespan, double? throughput = null, Dictionary<string, string>? parameters = null) =>
        new($"r{Interlocked.Increment(ref _next)}", "wl-x", policy, parameters ?? [], session, 0, policy == RunRecord.BaselinePolicyName, new RunMetrics(makespan, throughput), At);

    [Fact]
    public void Improvement_is_the_ratio_to_the_baseline_of_the_same_session()
    {
        // Session 2 runs on a slower machine; its own baseline keeps the ratio honest.
        var runs = new[]
        {
            Run("eevdf", "s1", 100), Run("scx_rusty", "s1", 50),
            Run("eevdf", "s2", 200), Run("scx_rusty", "s2", 100),
        };
        var ranking = Assert.Single(HistoryRanker.Rank(runs, RankingMetric.Makespan));
        Assert.Equal(2.0, ranking.MeanRatio, 9);
        Assert.Equal(0, ranking.StandardDeviation, 9);
        Assert.Equal(2, ranking.Sessions);
    }

    [Fact]
    public void Runs_without_a_baseline_in_their_session_are_left_out()
    {
        var runs = new[] { Run("eevdf", "s1", 100), Run("scx_rusty", "s1", 80), Run("scx_lavd", "s9", 10) };
        Assert.Equal(["scx_rusty"], HistoryRanker.Rank(runs, RankingMetric.Makespan).Select(r => r.PolicyName));
    }

    [Fact]
    public void Higher_is_better_metrics_invert_the_ratio()
    {
        var runs = new[] { Run("eevdf", "s1", 1, 100), Run("scx_bpfland", "s1", 1, 160) };
        Assert.Equal(1.6, HistoryRanker.Rank(runs, RankingMetric.Throughput)[0].MeanRatio, 9);
    }

    [Fact]
    public void Repeats_give_a_student_t_confidence_interval_and_rank_best_first()
    {
        var runs = new List<RunRecord> { Run("eevdf", "s1", 100) };
        runs.AddRange([Run("scx_rusty", "s1", 50), Run("scx_rusty", "s1", 60), Run("scx_rusty", "s1", 55)]);
        runs.AddRange([Run("scx_layered", "s1", 45), Run("scx_layered", "s1", 46)]);
        var ranked = HistoryRanker.Rank(runs, RankingMetric.Makespan);
        Assert.Equal(["scx_layered", "scx_rusty"], ranked.Select(r => r.PolicyName));
        var rusty = ranked[1];
        var ratios = new[] { 2.0, 100 / 60.0, 100 / 55.0 };
        var mean = ratios.Average();
        var sd = Math.Sqrt(ratios.Sum(r => (r - mean) * (r - mean)) / 2);
        Assert.Equal(mean, rusty.MeanRatio, 9);
        Assert.Equal(mean - (4.303 * sd / Math.Sqrt(3)), rusty.ConfidenceLow!.Value, 9);
        Assert.True(rusty.IsSignificantImprovement);
    }

    [Fact]
    public void Different_parameter_sets_of_one_policy_are_ranked_separately()
    {
        var runs = new[]
        {
            Run("eevdf", "s1", 100),
            Run("scx_bpfland", "s1", 90, parameters: new() { ["slice_us"] = "1000" }),
            Run("scx_bpfland", "s1", 70, parameters: new() { ["slice_us"] = "20000" }),
        };
        var ranked = HistoryRanker.Rank(runs, RankingMetric.Makespan);
        Assert.Equal(2, ranked.Count);
        Assert.Equal("20000", ranked[0].Parameters["slice_us"]);
    }
}
