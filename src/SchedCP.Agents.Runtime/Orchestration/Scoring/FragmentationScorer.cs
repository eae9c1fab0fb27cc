namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>Prefers placements that fill capacity already in use over opening fresh capacity that stays mostly idle (best fit).</summary>
public sealed class FragmentationScorer : IPlacementScorer
{
    /// <inheritdoc />
    public string Name => "fragmentation";

    /// <inheritdoc />
    public double Score(in PlacementCandidate candidate, in CandidateRange range) => 100 * (1 - Math.Clamp(candidate.Offer.Fragmentation, 0, 1));
}
