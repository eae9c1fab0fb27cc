namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>Where a change set stands.</summary>
public enum ChangeSetStatus
{
    /// <summary>Its changes are applied to the workspace.</summary>
    Applied,
    /// <summary>Its changes were undone.</summary>
    Reverted,
}
