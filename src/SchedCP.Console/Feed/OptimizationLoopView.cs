namespace SchedCP.Console.Feed;

/// <summary>An optimisation loop as the console shows it: an immutable snapshot, replaced on every report.</summary>
/// <param name="Id">The loop's run id.</param>
/// <param name="Workload">The workload being optimised.</param>
/// <param name="Metric">The primary KPI.</param>
/// <param name="HigherIsBetter">Whether a larger value of the metric is better.</param>
/// <param name="Stages">The stages in the order they were first reported.</param>
/// <param name="Candidates">The candidates in the order they were first reported.</param>
/// <param name="VerifierReports">Verifier reports, one per candidate (the latest).</param>
/// <param name="Cost">Cost per stage (the latest report).</param>
/// <param name="Outcome">How it ended, or null while it runs.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="UpdatedAt">When it last reported.</param>
public sealed record OptimizationLoopView(
    string Id,
    string Workload,
    string Metric,
    bool HigherIsBetter,
    IReadOnlyList<LoopStageView> Stages,
    IReadOnlyList<CandidateView> Candidates,
    IReadOnlyList<VerifierReportView> VerifierReports,
    IReadOnlyList<CostView> Cost,
    string? Outcome,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether the loop has ended.</summary>
    public bool Finished => Outcome is not null;

    /// <summary>The total cost over all stages.</summary>
    public decimal TotalCost => Cost.Sum(c => c.Cost);
}
