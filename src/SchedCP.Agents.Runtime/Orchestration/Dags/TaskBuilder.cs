namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>Describes one task inside <see cref="TaskDagBuilder.Task(string, Action{TaskBuilder})"/>.</summary>
public sealed class TaskBuilder
{
    private readonly TaskSpec _spec;
    private readonly List<string> _dependsOn = [];
    private readonly List<TaskEstimate> _estimates = [];

    internal TaskBuilder(string id) => _spec = new TaskSpec(id);

    /// <summary>The task runs after <paramref name="taskIds"/> complete.</summary>
    /// <param name="taskIds">Predecessor ids.</param>
    /// <returns>This builder.</returns>
    public TaskBuilder After(params string[] taskIds)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        _dependsOn.AddRange(taskIds);
        return this;
    }

    /// <summary>What the task needs while it runs.</summary>
    /// <param name="cpu">Cores.</param>
    /// <param name="memoryGb">Memory in GB.</param>
    /// <param name="sandboxVms">Local sandbox VM slots.</param>
    /// <param name="apiCalls">Rate-limit tokens.</param>
    /// <returns>This builder.</returns>
    public TaskBuilder Requires(int cpu = 1, double memoryGb = 0, int sandboxVms = 0, int apiCalls = 1)
    {
        _spec.Requirements = new ResourceRequirements(cpu, memoryGb, sandboxVms, apiCalls);
        return this;
    }

    /// <summary>The task can run on <paramref name="kind"/>, taking <paramref name="duration"/> and a fixed <paramref name="cost"/>.</summary>
    /// <param name="kind">The resource kind.</param>
    /// <param name="duration">Estimated run time.</param>
    /// <param name="cost">Fixed cost on top of the pool's time-based price.</param>
    /// <returns>This builder.</returns>
    public TaskBuilder RunsOn(ResourceKind kind, TimeSpan duration, decimal cost = 0m)
    {
        _estimates.Add(new TaskEstimate(kind, duration, cost));
        return this;
    }

    /// <summary>Priority among tasks of equal critical-path rank (higher first).</summary>
    /// <param name="priority">The priority.</param>
    /// <returns>This builder.</returns>
    public TaskBuilder Priority(int priority)
    {
        _spec.Priority = priority;
        return this;
    }

    /// <summary>When the task should be done.</summary>
    /// <param name="deadline">The deadline.</param>
    /// <returns>This builder.</returns>
    public TaskBuilder Deadline(DateTimeOffset deadline)
    {
        _spec.Deadline = deadline;
        return this;
    }

    /// <summary>Attempts in total and the wait before a retry.</summary>
    /// <param name="maxAttempts">At least 1.</param>
    /// <param name="backoff">Wait before retrying.</param>
    /// <returns>This builder.</returns>
    public TaskBuilder Retry(int maxAttempts, TimeSpan backoff = default)
    {
        _spec.Retry = new RetryPolicy(maxAttempts, backoff);
        return this;
    }

    /// <summary>Tasks with the same key may share a cloud instance and its spin-up.</summary>
    /// <param name="batchKey">The key.</param>
    /// <returns>This builder.</returns>
    public TaskBuilder Batch(string batchKey)
    {
        _spec.BatchKey = batchKey;
        return this;
    }

    internal TaskSpec Build()
    {
        _spec.DependsOn = [.. _dependsOn];
        _spec.Estimates = [.. _estimates];
        return _spec;
    }
}
