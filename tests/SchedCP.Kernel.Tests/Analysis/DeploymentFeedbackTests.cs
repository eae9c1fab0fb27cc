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
}
