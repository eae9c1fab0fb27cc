using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class DeploymentFeedbackTests
{
    [Fact]
    public void Lower_makespan_beyond_twice_the_pooled_spread_is_better()
    {
        var change = DeploymentFeedback.Compare("makespan_ms", KpiDirection.LowerIsBetter, [1000, 1010, 990], [800, 805, 795]);

        Assert.Equal(KpiVerdict.Better, change.Verdict);
        Assert.Equal(0.8, change.Ratio, 3);
        Assert.Equal(10, change.Baseline.StdDev, 6);
        Assert.Equal(Math.Sqrt((100 + 25) / 2.0), change.PooledStdDev, 6);
        Assert.Contains(">", change.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Change_inside_the_noise_is_equal()
    {
        var change = DeploymentFeedback.Compare("p99_us", KpiDirection.LowerIsBetter, [100, 140, 120], [125, 135, 110]);

        Assert.Equal(KpiVerdict.Equal, change.Verdict);
    }

    [Fact]
    public void Lower_throughput_is_worse_and_makes_the_deployment_worse()
    {
        var feedback = new DeploymentFeedback("vtime", [
            DeploymentFeedback.Compare("requests_per_second", KpiDirection.HigherIsBetter, [5000, 5050, 4950], [4000, 4020, 3980]),
            DeploymentFeedback.Compare("makespan_ms", KpiDirection.LowerIsBetter, [1000, 1010, 990], [800, 805, 795]),
        ]);

        Assert.Equal(KpiVerdict.Worse, feedback.Changes[0].Verdict);
        Assert.Equal(KpiVerdict.Worse, feedback.Overall);
        Assert.Contains("requests_per_second", feedback.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_spread_needs_more_than_one_percent_to_count()
    {
        Assert.Equal(KpiVerdict.Equal, DeploymentFeedback.Compare("k", KpiDirection.LowerIsBetter, [100], [100.5]).Verdict);
        Assert.Equal(KpiVerdict.Better, DeploymentFeedback.Compare("k", KpiDirection.LowerIsBetter, [100], [98]).Verdict);
    }

    [Fact]
    public void Tail_percentiles_are_judged_by_rank_so_one_stalled_baseline_repeat_cannot_hide_a_shift()
    {
        // Measured shape: EEVDF's p99 in the guest with one repeat stalled by the emulator, a candidate shifted below it.
        double[] eevdf = [498, 455, 512, 1010, 470];
        double[] candidate = [371, 365, 380, 362, 377];

        var byMeans = DeploymentFeedback.Compare("p99_us", KpiDirection.LowerIsBetter, eevdf, candidate, KpiRule.MeanBeyondNoise);
        var byRank = DeploymentFeedback.Compare("p99_us", KpiDirection.LowerIsBetter, eevdf, candidate);

        Assert.Equal(KpiVerdict.Equal, byMeans.Verdict);
        Assert.Equal(KpiVerdict.Better, byRank.Verdict);
        Assert.Contains("U = 25 of 25 pairs better", byRank.Rule, StringComparison.Ordinal);
        Assert.Contains("p = 0.00397", byRank.Rule, StringComparison.Ordinal); // 1 / C(10, 5)
        Assert.Equal(371.0 / 498.0, byRank.Ratio, 6); // medians
    }

    [Fact]
    public void The_rank_rule_calls_interleaved_repeats_equal_and_a_shift_up_worse()
    {
        double[] baseline = [400, 420, 440, 460, 480];

        Assert.Equal(KpiVerdict.Equal, DeploymentFeedback.Compare("p99_us", KpiDirection.LowerIsBetter, baseline, [410, 430, 450, 470, 390]).Verdict);
        Assert.Equal(KpiVerdict.Worse, DeploymentFeedback.Compare("p99_us", KpiDirection.LowerIsBetter, baseline, [600, 610, 620, 630, 640]).Verdict);
        Assert.Equal(KpiVerdict.Better, DeploymentFeedback.Compare("p999_us", KpiDirection.LowerIsBetter, baseline, [300, 310, 320, 330, 340]).Verdict);
    }

    [Fact]
    public void The_rule_follows_the_kpi_name()
    {
        Assert.Equal(KpiRule.RankSum, DeploymentFeedback.RuleFor("p99_us"));
        Assert.Equal(KpiRule.RankSum, DeploymentFeedback.RuleFor("p999_us"));
        Assert.Equal(KpiRule.MeanBeyondNoise, DeploymentFeedback.RuleFor("makespan_ms"));
        Assert.Equal(KpiRule.MeanBeyondNoise, DeploymentFeedback.RuleFor("p5"));
        Assert.Equal(KpiRule.MeanBeyondNoise, DeploymentFeedback.RuleFor("requests_per_second"));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(5, 5)]
    [InlineData(10, 7)]
    public void The_exact_u_distribution_counts_every_ordering_and_is_symmetric(int m, int n)
    {
        var counts = MannWhitney.Distribution(m, n);

        Assert.Equal(m * n + 1, counts.Length);
        Assert.Equal(Binomial(m + n, m), counts.Sum(), 6);
        for (var u = 0; u <= m * n; u++)
        {
            Assert.Equal(counts[u], counts[(m * n) - u], 6);
        }
    }

    private static double Binomial(int n, int k) => Enumerable.Range(1, k).Aggregate(1.0, (acc, i) => acc * (n - k + i) / i);
}
