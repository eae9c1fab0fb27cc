namespace SchedCP.Agents.Runtime.Agents;

/// <summary>What happens to the file changes of an agent that fails.</summary>
public enum FailedAgentChangePolicy
{
    /// <summary>Revert them before its leases are released, so nobody sees a half-done edit.</summary>
    RollBack,
    /// <summary>Leave them applied as a change set an operator can review and revert.</summary>
    KeepForReview,
}
