namespace SchedCP.Agents.Runtime.Orchestration.Memory;

/// <summary>Something an agent intends to do next.</summary>
/// <param name="Description">What.</param>
/// <param name="Priority">How pressing.</param>
public sealed record NextStep(string Description, StepPriority Priority = StepPriority.Medium);
