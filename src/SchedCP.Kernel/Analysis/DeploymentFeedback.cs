using System.Globalization;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 3, the feedback channel: for a deployment, each KPI's change against its baseline with spread, and a verdict
/// by a stated rule. A change counts when |mean_current − mean_baseline| exceeds <see cref="NoiseMultiple"/>× the pooled
/// standard deviation and also <see cref="MinimumRelativeChange"/> of the baseline mean (so zero-spread KPIs do not
/// flip on rounding); its direction decides better or worse.
/// </summary>
/// <param name="Deployment">What was deployed (a scheduler, a configuration).</param>
/// <param name="Changes">One entry per KPI.</param>
public sealed record DeploymentFeedback(string Deployment, IReadOnlyList<KpiChange> Changes)
{
    /// <summary>How many pooled standard deviations a change must exceed.</summary>
    public const double NoiseMultiple = 2;

    /// <summary>The smallest relative change that can count (1%).</summary>
    public const double MinimumRelativeChange = 0.01;

    /// <summary>Worse when any KPI is worse; better when some are better and none worse; else equal.</summary>
    public KpiVerdict Overall =>
        Changes.Any(c => c.Verdict == KpiVerdict.Worse) ? KpiVerdict.Worse
        : Changes.Any(c => c.Verdict == KpiVerdict.Better) ? KpiVerdict.Better
        : KpiVerdict.Equal;

    /// <summary>Compares one KPI's measurements under the deployment against the baseline's.</summary>
    /// <param name="kpi">The KPI's name.</param>
    /// <param name="direction">Which way is better.</param>
    /// <param name="baseline">Baseline measurements (at least one).</param>
    /// <param name="current">Measurements under the deployment (at least one).</param>
    public static KpiChange Compare(string kpi, KpiDirection direction, IEnumerable<double> baseline, IEnumerable<double> current)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kpi);
        var b = KpiSpread.Of(baseline);
        var c = KpiSpread.Of(current);
        var pooled = Math.Sqrt((b.StdDev * b.StdDev + c.StdDev * c.StdDev) / 2);
        var delta = c.Mean - b.Mean;
        var ratio = b.Mean != 0 ? c.Mean / b.Mean : delta == 0 ? 1 : double.PositiveInfinity;
        var threshold = Math.Max(NoiseMultiple * pooled, MinimumRelativeChange * Math.Abs(b.Mean));
        var verdict = Math.Abs(delta) <= threshold ? KpiVerdict.Equal
            : (delta < 0) == (direction == KpiDirection.LowerIsBetter) ? KpiVerdict.Better : KpiVerdict.Worse;
        var rule = string.Format(CultureInfo.InvariantCulture, "|Δ| = {0:G4} {1} max({2}×pooled sd {3:G4}, {4:P0} of baseline) = {5:G4}",
            Math.Abs(delta), Math.Abs(delta) <= threshold ? "≤" : ">", NoiseMultiple, pooled, MinimumRelativeChange, threshold);
        return new KpiChange(kpi, direction, b, c, ratio, pooled, verdict, rule);
    }

    /// <summary>A one-line-per-KPI text for a person or an agent.</summary>
    public string Describe() =>
        $"{Deployment}: {Overall}. " + string.Join(" ", Changes.Select(c => string.Format(CultureInfo.InvariantCulture,
            "{0} {1:G4}±{2:G3} → {3:G4}±{4:G3} (×{5:F2}, {6}).", c.Kpi, c.Baseline.Mean, c.Baseline.StdDev, c.Current.Mean, c.Current.StdDev, c.Ratio, c.Verdict)));
}
