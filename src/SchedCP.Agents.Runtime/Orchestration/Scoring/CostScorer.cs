namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>Prefers the cheapest candidate.</summary>
public sealed class CostScorer : IPlacementScorer
{
    /// <inheritdoc />
    public string Name => "cost";

    /// <inheritdoc />
    public double Score(in PlacementCandidate candidate, in CandidateRange range) =>
        CandidateRange.LowerIsBetter((double)candidate.Offer.Cost, (double)range.MinCost, (double)range.MaxCost);
}
