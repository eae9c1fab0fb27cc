using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>What a run (or replay) ended with.</summary>
/// <param name="Agents">Every agent with its final state.</param>
/// <param name="Events">The events of this run, in order.</param>
/// <param name="Divergence">For a replay, the first divergence from the recorded log; null when it replayed exactly.</param>
public sealed record AgentRunReport(IReadOnlyList<AgentRun> Agents, IReadOnlyList<RuntimeEvent> Events, ReplayDivergence? Divergence);
