namespace SchedCP.Kernel.Analysis;

/// <summary>One KPI of a deployment against its baseline.</summary>
/// <param name="Kpi">The KPI's name, e.g. <c>makespan_ms</c>.</param>
/// <param name="Direction">Which way is better.</param>
/// <param name="Baseline">The baseline's measurements.</param>
/// <param name="Current">The deployment's measurements.</param>
/// <param name="Ratio">Current mean over baseline mean (∞ when the baseline mean is 0 and the current is not).</param>
/// <param name="PooledStdDev">√((s_baseline² + s_current²) / 2).</param>
/// <param name="Verdict">Better, equal or worse by the rule.</param>
/// <param name="Rule">The rule as applied, for the reader.</param>
public sealed record KpiChange(
    string Kpi,
    KpiDirection Direction,
    KpiSpread Baseline,
    KpiSpread Current,
    double Ratio,
    double PooledStdDev,
    KpiVerdict Verdict,
    string Rule)
{
    /// <summary>Current mean minus baseline mean.</summary>
    public double Delta => Current.Mean - Baseline.Mean;
}
