namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>How long a task takes on one kind of resource, and its fixed cost there (the pool adds its own time-based price).</summary>
/// <param name="Kind">The resource kind.</param>
/// <param name="Duration">The estimated run time once started.</param>
/// <param name="Cost">A fixed cost for the run (e.g. API tokens), in the budget's currency; 0 when the pool's price is all.</param>
public sealed record TaskEstimate(ResourceKind Kind, TimeSpan Duration, decimal Cost = 0m);
