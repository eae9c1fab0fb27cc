namespace SchedCP.Agents.Runtime.Orchestration.Memory;

/// <summary>How pressing a next step is.</summary>
public enum StepPriority
{
    /// <summary>When there is time.</summary>
    Low,
    /// <summary>Soon.</summary>
    Medium,
    /// <summary>Next.</summary>
    High,
    /// <summary>Blocks others.</summary>
    Critical,
}
