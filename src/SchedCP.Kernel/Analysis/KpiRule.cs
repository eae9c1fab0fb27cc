namespace SchedCP.Kernel.Analysis;

/// <summary>How a KPI's repeats under a candidate are judged against the baseline's (<see cref="DeploymentFeedback"/>).</summary>
public enum KpiRule
{
    /// <summary>Means differ by more than twice the pooled standard deviation and 1 % of the baseline.</summary>
    MeanBeyondNoise,

    /// <summary>An exact one-sided Mann-Whitney rank test at p &lt; 0.05 and medians more than 1 % apart: robust to outlier repeats.</summary>
    RankSum,
}
