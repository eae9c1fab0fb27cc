namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>A scorer and its weight in the sum.</summary>
/// <param name="Scorer">The scorer.</param>
/// <param name="Weight">Its weight, at least 0.</param>
public sealed record WeightedScorer(IPlacementScorer Scorer, double Weight);
