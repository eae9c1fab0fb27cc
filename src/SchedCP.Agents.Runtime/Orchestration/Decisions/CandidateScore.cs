using System.Globalization;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Orchestration.Decisions;

/// <summary>One candidate of a decision with each scorer's score, the weighted total, and why it was excluded if it was.</summary>
/// <param name="PoolId">The pool.</param>
/// <param name="Offer">The pool's offer.</param>
/// <param name="Scores">Per-scorer scores, in the profile's order.</param>
/// <param name="Total">The weighted sum.</param>
/// <param name="ExcludedBecause">Why it could not win (budget, spot policy), or null.</param>
public sealed record CandidateScore(string PoolId, ResourceOffer Offer, IReadOnlyList<double> Scores, double Total, string? ExcludedBecause)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PoolId} {Offer.Pricing} start+{Offer.StartDelay.TotalSeconds:0}s run {Offer.Duration.TotalSeconds:0}s cost {Offer.Cost:0.####} total {Total:0.##}{(ExcludedBecause is null ? string.Empty : " excluded: " + ExcludedBecause)}");
}
