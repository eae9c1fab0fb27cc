using SchedCP.Agents.Runtime.Orchestration.Decisions;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>What one tick decided.</summary>
/// <param name="Tick">Its number, from 1.</param>
/// <param name="At">Its time.</param>
/// <param name="Placements">Tasks placed, with their claims (start them at <see cref="ResourceClaim.StartAt"/>).</param>
/// <param name="Decisions">Every decision of the tick: placements and waits.</param>
public sealed record TickReport(long Tick, DateTimeOffset At, IReadOnlyList<(string TaskId, ResourceClaim Claim)> Placements, IReadOnlyList<PlacementDecision> Decisions);
