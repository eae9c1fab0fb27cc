namespace SchedCP.Repository;

/// <summary>
/// How one policy configuration did on one workload: the mean improvement ratio over the same-session EEVDF baseline
/// (above 1 is better than EEVDF, whatever the metric's direction) with a 95% confidence interval from the repeats.
/// </summary>
/// <param name="PolicyName">The policy.</param>
/// <param name="Parameters">The parameter values of this configuration.</param>
/// <param name="Metric">The metric compared.</param>
/// <param name="Samples">How many runs had a same-session baseline.</param>
/// <param name="Sessions">How many distinct sessions those runs came from.</param>
/// <param name="MeanRatio">Mean improvement ratio (baseline/candidate for lower-is-better metrics, candidate/baseline otherwise).</param>
/// <param name="StandardDeviation">Sample standard deviation of the ratios; 0 with one sample.</param>
/// <param name="ConfidenceLow">Lower end of the 95% confidence interval (Student's t); <see langword="null"/> with one sample.</param>
/// <param name="ConfidenceHigh">Upper end of the 95% confidence interval; <see langword="null"/> with one sample.</param>
public sealed record PolicyRanking(
    string PolicyName,
    IReadOnlyDictionary<string, string> Parameters,
    RankingMetric Metric,
    int Samples,
    int Sessions,
    double MeanRatio,
    double StandardDeviation,
    double? ConfidenceLow,
    double? ConfidenceHigh)
{
    /// <summary>Whether the whole confidence interval lies above 1, i.e. the improvement is not noise.</summary>
    public bool IsSignificantImprovement => ConfidenceLow > 1;

    /// <inheritdoc />
    public override string ToString() => ConfidenceLow is null
        ? $"{PolicyName}: {MeanRatio:0.000}x vs EEVDF on {Metric} (1 sample)"
        : $"{PolicyName}: {MeanRatio:0.000}x vs EEVDF on {Metric} (95% CI {ConfidenceLow:0.000}-{ConfidenceHigh:0.000}, n={Samples})";
}
