namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>The scorers and weights that rank candidates; <see cref="Default"/> weighs latency 0.6, cost 0.3, fragmentation 0.1.</summary>
public sealed class ScoringProfile
{
    /// <summary>Creates a profile.</summary>
    /// <param name="scorers">Scorers with weights (at least one, weights at least 0).</param>
    public ScoringProfile(IReadOnlyList<WeightedScorer> scorers)
    {
        ArgumentNullException.ThrowIfNull(scorers);
        if (scorers.Count == 0 || scorers.Any(s => s.Weight < 0 || double.IsNaN(s.Weight)))
        {
            throw new ArgumentException("a scoring profile needs at least one scorer and every weight >= 0", nameof(scorers));
        }

        Scorers = scorers;
    }

    /// <summary>Latency 0.6, cost 0.3, fragmentation 0.1.</summary>
    public static ScoringProfile Default { get; } = new([
        new WeightedScorer(new LatencyScorer(), 0.6),
        new WeightedScorer(new CostScorer(), 0.3),
        new WeightedScorer(new FragmentationScorer(), 0.1),
    ]);

    /// <summary>The scorers in the order their scores appear in decision records.</summary>
    public IReadOnlyList<WeightedScorer> Scorers { get; }
}
