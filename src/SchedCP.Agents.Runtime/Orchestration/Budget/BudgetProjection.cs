namespace SchedCP.Agents.Runtime.Orchestration.Budget;

/// <summary>Where spend stands and where it is heading.</summary>
/// <param name="Spent">Settled cost of finished or interrupted attempts.</param>
/// <param name="Committed">Estimated cost of placed tasks not yet settled.</param>
/// <param name="RemainingEstimate">Cheapest estimate of the tasks not placed yet.</param>
/// <param name="Limit">The budget, or null when unlimited.</param>
public sealed record BudgetProjection(decimal Spent, decimal Committed, decimal RemainingEstimate, decimal? Limit)
{
    /// <summary>Spent + committed + remaining estimate.</summary>
    public decimal ProjectedTotal => Spent + Committed + RemainingEstimate;

    /// <summary>Whether the projection exceeds the limit (the DAG cannot finish on budget at the cheapest prices).</summary>
    public bool OverBudget => Limit is { } limit && ProjectedTotal > limit;
}
