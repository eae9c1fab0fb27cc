namespace SchedCP.Agents.Runtime.Orchestration.Tasks;

/// <summary>Where a task is in its life; <see cref="TaskStateMachine"/> says which moves are allowed.</summary>
public enum TaskState
{
    /// <summary>Waiting for its dependencies.</summary>
    Queued,
    /// <summary>Dependencies done; waiting for a placement.</summary>
    Eligible,
    /// <summary>Placed on a resource; not started yet (e.g. an instance spinning up).</summary>
    Scheduled,
    /// <summary>Running.</summary>
    Running,
    /// <summary>Finished successfully.</summary>
    Completed,
    /// <summary>Done with: its output is no longer needed by any waiting task.</summary>
    Archived,
    /// <summary>Failed for good (retries exhausted or not retryable).</summary>
    Failed,
    /// <summary>Failed or interrupted; will be eligible again after its backoff.</summary>
    Retrying,
    /// <summary>Will not run (a dependency failed, or it was cancelled).</summary>
    Cancelled,
}
