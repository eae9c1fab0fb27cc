using SchedCP.Kernel.Analysis;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>What happened to one candidate, with its evidence. Nothing is lost: a rejected candidate keeps its reason.</summary>
/// <param name="Spec">The candidate.</param>
/// <param name="Status">How far it got.</param>
/// <param name="Reason">Why it stopped where it did, or a one-line result.</param>
/// <param name="Change">Its primary KPI against EEVDF from the same guest (the last round it ran in), or null.</param>
/// <param name="VerifierSummary">The verifier's stage summary for its object, e.g. <c>compile:pass static:pass</c>.</param>
public sealed record CandidateOutcome(CandidateSpec Spec, CandidateStatus Status, string Reason, KpiChange? Change, string? VerifierSummary)
{
    /// <summary>The verifier's verdicts with their logs, when the verifier ran on it (kept for the repository).</summary>
    public IReadOnlyList<VerifierVerdict> Verdicts { get; init; } = [];
}
