namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>How often a task may be attempted and how long to wait before a retry.</summary>
/// <param name="MaxAttempts">Attempts in total, including the first; at least 1.</param>
/// <param name="Backoff">Wait before the task is eligible again after a failure or interruption.</param>
public sealed record RetryPolicy(int MaxAttempts = 3, TimeSpan Backoff = default)
{
    /// <summary>Three attempts, no backoff.</summary>
    public static RetryPolicy Default { get; } = new();
}
