namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>Prefers the earliest finish (start delay such as spin-up or working hours, plus run time).</summary>
public sealed class LatencyScorer : IPlacementScorer
{
    /// <inheritdoc />
    public string Name => "latency";

    /// <inheritdoc />
    public double Score(in PlacementCandidate candidate, in CandidateRange range) =>
        CandidateRange.LowerIsBetter(candidate.Offer.FinishAfter.TotalSeconds, range.MinFinishSeconds, range.MaxFinishSeconds);
}
