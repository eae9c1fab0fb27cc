using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>
/// A plug-in source of capacity. Pools are passive: the orchestrator passes the time to every call (so a
/// replay with recorded times sees the same answers) and is the only caller, from one thread.
/// </summary>
public interface IResourcePool
{
    /// <summary>A unique id.</summary>
    string Id { get; }

    /// <summary>The kind of capacity.</summary>
    ResourceKind Kind { get; }

    /// <summary>Writes the offers for <paramref name="task"/> now into <paramref name="offers"/> (at most 2).</summary>
    /// <param name="task">The task.</param>
    /// <param name="estimate">Its estimate for this pool's kind.</param>
    /// <param name="now">The time.</param>
    /// <param name="offers">Where to write; length at least 2.</param>
    /// <returns>How many offers were written; 0 when the task cannot be placed here now.</returns>
    int Quote(TaskSpec task, TaskEstimate estimate, DateTimeOffset now, Span<ResourceOffer> offers);

    /// <summary>Reserves capacity for an offer this pool just made.</summary>
    /// <param name="task">The task.</param>
    /// <param name="offer">The offer.</param>
    /// <param name="now">The time.</param>
    /// <returns>The claim.</returns>
    ResourceClaim Reserve(TaskSpec task, in ResourceOffer offer, DateTimeOffset now);

    /// <summary>Returns the capacity of a claim (task done, failed or interrupted).</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="task">The task that held it.</param>
    /// <param name="now">The time.</param>
    void Release(ResourceClaim claim, TaskSpec task, DateTimeOffset now);

    /// <summary>Free and total capacity and price now.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The report.</returns>
    ResourceAvailability Availability(DateTimeOffset now);
}
