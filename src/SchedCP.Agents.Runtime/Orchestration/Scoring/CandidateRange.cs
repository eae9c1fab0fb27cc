namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>The spread of finish times and costs over all candidates of one task, for normalising scores (as Kubernetes NormalizeScore does).</summary>
/// <param name="MinFinishSeconds">Earliest finish among the candidates.</param>
/// <param name="MaxFinishSeconds">Latest finish among the candidates.</param>
/// <param name="MinCost">Cheapest candidate.</param>
/// <param name="MaxCost">Dearest candidate.</param>
public readonly record struct CandidateRange(double MinFinishSeconds, double MaxFinishSeconds, decimal MinCost, decimal MaxCost)
{
    /// <summary>Maps <paramref name="value"/> in [min, max] to 100 (at min) .. 0 (at max); 100 when all are equal.</summary>
    /// <param name="value">The value.</param>
    /// <param name="min">The best value.</param>
    /// <param name="max">The worst value.</param>
    /// <returns>The score.</returns>
    public static double LowerIsBetter(double value, double min, double max) => max - min <= 1e-12 ? 100 : 100 * (max - value) / (max - min);
}
