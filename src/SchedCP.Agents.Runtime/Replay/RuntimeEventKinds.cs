namespace SchedCP.Agents.Runtime.Replay;

/// <summary>The kinds of <see cref="RuntimeEvent"/>.</summary>
public static class RuntimeEventKinds
{
    /// <summary>An agent was added (created).</summary>
    public const string AgentCreated = "agent.created";
    /// <summary>The scheduler gave an agent a turn.</summary>
    public const string TurnStarted = "agent.turn";
    /// <summary>An agent changed lifecycle state.</summary>
    public const string AgentStateChanged = "agent.state";
    /// <summary>An operator paused an agent.</summary>
    public const string OperatorPause = "operator.pause";
    /// <summary>An operator resumed an agent.</summary>
    public const string OperatorResume = "operator.resume";
    /// <summary>An operator terminated an agent.</summary>
    public const string OperatorTerminate = "operator.terminate";
    /// <summary>An agent asked for claims.</summary>
    public const string ClaimRequested = "claim.requested";
    /// <summary>A claim request was refused (deadlock, bad input…).</summary>
    public const string ClaimRefused = "claim.refused";
    /// <summary>A claim request started waiting.</summary>
    public const string ClaimQueued = "claim.queued";
    /// <summary>A lease was granted.</summary>
    public const string LeaseGranted = "lease.granted";
    /// <summary>A lease was renewed by heartbeat.</summary>
    public const string LeaseRenewed = "lease.renewed";
    /// <summary>A lease ended (released, expired, holder ended).</summary>
    public const string LeaseEnded = "lease.ended";
    /// <summary>A waiting claim was cancelled.</summary>
    public const string ClaimCancelled = "claim.cancelled";
    /// <summary>The scheduler let time pass so leases could expire.</summary>
    public const string Tick = "clock.tick";
    /// <summary>A tool call with its input and output.</summary>
    public const string ToolCall = "tool.call";
    /// <summary>A model call with its messages and response.</summary>
    public const string ModelCall = "model.call";
    /// <summary>An agent read the clock.</summary>
    public const string Time = "time";
    /// <summary>An agent drew a random number.</summary>
    public const string Random = "random";
    /// <summary>An agent published an artifact.</summary>
    public const string ArtifactPublished = "artifact.published";
    /// <summary>A failed agent's change set was reverted.</summary>
    public const string ChangeSetReverted = "changeset.reverted";

    /// <summary>Whether a replay takes the output of this kind from the log instead of computing it.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True for tool, model, time and random events.</returns>
    public static bool IsRecordedResult(string kind) => kind is ToolCall or ModelCall or Time or Random;
}
