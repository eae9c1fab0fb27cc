using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Orchestration.Tasks;

/// <summary>The live state of one task in an orchestration: its state, attempts, placement and history.</summary>
public sealed class TaskRun
{
    private readonly List<TaskTransition> _history = [];

    /// <summary>Creates a task run in <see cref="TaskState.Queued"/>.</summary>
    /// <param name="taskId">The task.</param>
    public TaskRun(string taskId) => TaskId = taskId;

    /// <summary>The task.</summary>
    public string TaskId { get; }

    /// <summary>Its current state.</summary>
    public TaskState State { get; private set; } = TaskState.Queued;

    /// <summary>Attempts started so far (moves into Running).</summary>
    public int Attempts { get; private set; }

    /// <summary>Where it is placed while Scheduled or Running; null otherwise.</summary>
    public ResourceClaim? Placement { get; internal set; }

    /// <summary>Set after a spot interruption of a critical-path task: later placements use on-demand capacity.</summary>
    public bool AvoidSpot { get; internal set; }

    /// <summary>When it may be eligible again after a retry backoff.</summary>
    public DateTimeOffset RetryAt { get; internal set; }

    /// <summary>Every transition, oldest first.</summary>
    public IReadOnlyList<TaskTransition> History => _history;

    internal void Apply(TaskTransition transition)
    {
        State = transition.To;
        if (transition.To == TaskState.Running)
        {
            Attempts++;
        }

        _history.Add(transition);
    }
}
