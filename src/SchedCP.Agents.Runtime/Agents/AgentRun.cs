using SchedCP.Agents.Runtime.Artifacts;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>One agent as a unit of scheduling: its state, its change set and why it ended.</summary>
public sealed class AgentRun
{
    internal AgentRun(string id, AgentBody body)
    {
        Id = id;
        Body = body;
        ChangeSet = new ChangeSet(id);
    }

    /// <summary>The agent id (also its lease holder id).</summary>
    public string Id { get; }

    /// <summary>The current lifecycle state.</summary>
    public AgentState State { get; internal set; } = AgentState.Created;

    /// <summary>The file changes it made.</summary>
    public ChangeSet ChangeSet { get; }

    /// <summary>Why it failed, when it did.</summary>
    public string? FailureReason { get; internal set; }

    internal AgentBody Body { get; }
    internal CancellationTokenSource Termination { get; } = new();
    internal SemaphoreSlim Resume { get; } = new(0);
    internal TaskCompletionSource TurnEnded { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    internal Task? Task { get; set; }
    internal bool PauseRequested { get; set; }
    internal bool IsFinished => State is AgentState.Completed or AgentState.Failed or AgentState.Terminated;
}
