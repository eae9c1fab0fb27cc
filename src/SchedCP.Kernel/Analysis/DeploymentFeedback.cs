using System.Globalization;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 3, the feedback channel: for a deployment, each KPI's change against its baseline with spread, and a verdict
/// by a stated rule, chosen by the KPI (<see cref="RuleFor"/>):
/// <list type="bullet">
/// <item><see cref="KpiRule.MeanBeyondNoise"/> for totals and rates (makespan, throughput): a change counts when
/// |mean_current − mean_baseline| exceeds <see cref="NoiseMultiple"/>× the pooled standard deviation and also
/// <see cref="MinimumRelativeChange"/> of the baseline mean (so zero-spread KPIs do not flip on rounding).</item>
/// <item><see cref="KpiRule.RankSum"/> for tail percentiles (<c>p99_us</c> and the like), whose per-repeat values are
/// heavy-tailed: one stalled repeat inflates a standard deviation until nothing can ever differ. A change counts when
/// the exact one-sided Mann-Whitney test says the repeats are shifted with p &lt; <see cref="Alpha"/> and the medians
/// differ by more than <see cref="MinimumRelativeChange"/>.</item>
/// </list>
/// In both, the direction decides better or worse.
/// </summary>
/// <param name="Deployment">What was deployed (a scheduler, a configuration).</param>
/// <param name="Changes">One entry per KPI.</param>
public sealed record DeploymentFeedback(string Deployment, IReadOnlyList<KpiChange> Changes)
{
    /// <summary>How many pooled standard deviations a change must exceed.</summary>
    public const double NoiseMultiple = 2;

    /// <summary>The smallest relative change that can count (1%).</summary>
    public const double MinimumRelativeChange = 0.01;

    /// <summary>The rank rule's significance level, one-sided.</summary>
    public const double Alpha = 0.05;

    /// <summary>The rule a KPI is judged by: the rank rule for tail percentiles (names like <c>p99_us</c>), the mean rule otherwise.</summary>
    /// <param name="kpi">The KPI's name.</param>
    /// <returns>The rule.</returns>
    public static KpiRule RuleFor(string kpi) =>
        kpi is ['p', >= '0' and <= '9', ..] && kpi.Skip(1).TakeWhile(char.IsAsciiDigit).Count() >= 2 ? KpiRule.RankSum : KpiRule.MeanBeyondNoise;

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
    /// <param name="rule">The rule; by default <see cref="RuleFor"/> the KPI.</param>
    public static KpiChange Compare(string kpi, KpiDirection direction, IEnumerable<double> baseline, IEnumerable<double> current, KpiRule? rule = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kpi);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var before = baseline.ToArray();
        var after = current.ToArray();
        return (rule ?? RuleFor(kpi)) == KpiRule.RankSum ? CompareByRank(kpi, direction, before, after) : CompareMeans(kpi, direction, before, after);
    }

    private static KpiChange CompareMeans(string kpi, KpiDirection direction, double[] baseline, double[] current)
    {
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

    private static KpiChange CompareByRank(string kpi, KpiDirection direction, double[] baseline, double[] current)
    {
        var b = KpiSpread.Of(baseline);
        var c = KpiSpread.Of(current);
        var pooled = Math.Sqrt((b.StdDev * b.StdDev + c.StdDev * c.StdDev) / 2);
        var ratio = b.Median != 0 ? c.Median / b.Median : c.Median == b.Median ? 1 : double.PositiveInfinity;
        var relative = b.Median != 0 ? (c.Median - b.Median) / Math.Abs(b.Median) : 0;

        // U counts (current, baseline) pairs where current is the lower one, ties as halves.
        var u = 0.0;
        foreach (var x in current)
        {
            foreach (var y in baseline)
            {
                u += x < y ? 1 : x == y ? 0.5 : 0;
            }
        }

        var pairs = (double)current.Length * baseline.Length;
        var pLower = MannWhitney.UpperTail(current.Length, baseline.Length, u);
        var pHigher = MannWhitney.UpperTail(current.Length, baseline.Length, pairs - u);
        var lowerIsBetter = direction == KpiDirection.LowerIsBetter;
        var pBetter = lowerIsBetter ? pLower : pHigher;
        var pWorse = lowerIsBetter ? pHigher : pLower;
        var improvement = lowerIsBetter ? -relative : relative;
        var verdict = pBetter < Alpha && improvement > MinimumRelativeChange ? KpiVerdict.Better
            : pWorse < Alpha && -improvement > MinimumRelativeChange ? KpiVerdict.Worse
            : KpiVerdict.Equal;
        // Report the side the data lean to: the better side unless it is judged worse or leans worse.
        var worseSide = verdict == KpiVerdict.Worse || (verdict == KpiVerdict.Equal && pWorse < pBetter);
        var p = worseSide ? pWorse : pBetter;
        var uBetter = lowerIsBetter ? u : pairs - u;
        var rule = string.Format(CultureInfo.InvariantCulture, "rank test: median {0:G4} vs {1:G4} ({2:+0.0%;-0.0%}), U = {3:G4} of {4} pairs {5}, one-sided p = {6:G3} {7} {8}",
            c.Median, b.Median, relative, worseSide ? pairs - uBetter : uBetter, pairs, worseSide ? "worse" : "better", p, p < Alpha ? "<" : "≥", Alpha);
        return new KpiChange(kpi, direction, b, c, ratio, pooled, verdict, rule);
    }

    /// <summary>A one-line-per-KPI text for a person or an agent.</summary>
    public string Describe() =>
        $"{Deployment}: {Overall}. " + string.Join(" ", Changes.Select(c => string.Format(CultureInfo.InvariantCulture,
            "{0} {1:G4}±{2:G3} → {3:G4}±{4:G3} (×{5:F2}, {6}).", c.Kpi, c.Baseline.Mean, c.Baseline.StdDev, c.Current.Mean, c.Current.StdDev, c.Ratio, c.Verdict)));
}
