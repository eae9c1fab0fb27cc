namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>Kinds of the events an orchestration writes to the runtime's event log. Inputs are replayed; the rest are recomputed and compared.</summary>
public static class OrchestrationEventKinds
{
    /// <summary>Input: a DAG was submitted (input: the DAG as JSON).</summary>
    public const string Submitted = "orchestration.submitted";
    /// <summary>Input: a scheduled task started running.</summary>
    public const string Started = "orchestration.started";
    /// <summary>Input: a running task completed (input: its real cost, if reported).</summary>
    public const string Completed = "orchestration.completed";
    /// <summary>Input: a running task failed (input: the reason).</summary>
    public const string Failed = "orchestration.failed";
    /// <summary>Input: a cloud instance was interrupted (subject: pool and instance).</summary>
    public const string Interrupted = "orchestration.interrupted";

    /// <summary>An operator or agent cancelled a task.</summary>
    public const string Cancelled = "orchestration.cancelled";
    /// <summary>Output: a placement decision, or a change in why a task waits.</summary>
    public const string Decision = "orchestration.decision";
    /// <summary>Output: a task changed state.</summary>
    public const string Transition = "orchestration.task";

    /// <summary>Subject of the time reading each tick starts with (a <see cref="Replay.RuntimeEventKinds.Time"/> event).</summary>
    public const string TickSubject = "orchestration.tick";

    /// <summary>Whether replay drives the orchestrator with this event (instead of expecting it as an output).</summary>
    /// <param name="kind">The event kind.</param>
    /// <param name="subject">The event subject.</param>
    /// <returns>True for inputs.</returns>
    public static bool IsInput(string kind, string subject) =>
        kind is Submitted or Started or Completed or Failed or Interrupted
        || (kind == Replay.RuntimeEventKinds.Time && subject == TickSubject);
}
