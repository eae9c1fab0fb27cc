namespace SchedCP.Agents.Runtime.Agents;

/// <summary>The lifecycle of an agent run.</summary>
public enum AgentState
{
    /// <summary>Added, not yet scheduled.</summary>
    Created,
    /// <summary>Runnable, waiting for its turn.</summary>
    Ready,
    /// <summary>Waiting for a claim to be granted.</summary>
    Waiting,
    /// <summary>Has the turn.</summary>
    Running,
    /// <summary>Paused by an operator; its leases keep ticking and may expire.</summary>
    Paused,
    /// <summary>Finished normally.</summary>
    Completed,
    /// <summary>Threw; its changes were rolled back or kept for review.</summary>
    Failed,
    /// <summary>Stopped by an operator (or a replay divergence); its leases were released.</summary>
    Terminated,
}
