namespace SchedCP.Agents;

/// <summary>What the loop did with its best candidate.</summary>
/// <param name="Deployed">True when a canary deployment ran on the host.</param>
/// <param name="Token">The signed deployment token for the best candidate, or null when there is none.</param>
/// <param name="Explanation">Why it was or was not deployed (for example: the host has no sched_ext, so a report only).</param>
public sealed record DeploymentDecision(bool Deployed, string? Token, string Explanation);
