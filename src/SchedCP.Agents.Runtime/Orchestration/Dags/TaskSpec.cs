namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>One task of a DAG: what it depends on, what it needs, how long and how much it costs per resource kind.</summary>
public sealed class TaskSpec
{
    internal TaskSpec(string id) => Id = id;

    /// <summary>The task id, unique in its DAG.</summary>
    public string Id { get; }

    /// <summary>Ids of the tasks that must complete first.</summary>
    public IReadOnlyList<string> DependsOn { get; internal set; } = [];

    /// <summary>What it needs while running.</summary>
    public ResourceRequirements Requirements { get; internal set; } = ResourceRequirements.Default;

    /// <summary>Estimates per resource kind it can run on; at least one.</summary>
    public IReadOnlyList<TaskEstimate> Estimates { get; internal set; } = [];

    /// <summary>Higher runs first among tasks of equal critical-path rank; default 0.</summary>
    public int Priority { get; internal set; }

    /// <summary>When it should be done; tasks whose slack to the deadline runs out count as urgent.</summary>
    public DateTimeOffset? Deadline { get; internal set; }

    /// <summary>Attempts and backoff.</summary>
    public RetryPolicy Retry { get; internal set; } = RetryPolicy.Default;

    /// <summary>Tasks with the same key may share one cloud instance (and its spin-up); null shares with nobody.</summary>
    public string? BatchKey { get; internal set; }

    /// <summary>The estimate for <paramref name="kind"/>, or null when the task cannot run there.</summary>
    /// <param name="kind">The resource kind.</param>
    /// <returns>The estimate.</returns>
    public TaskEstimate? EstimateFor(ResourceKind kind)
    {
        foreach (var estimate in Estimates)
        {
            if (estimate.Kind == kind)
            {
                return estimate;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
