namespace SchedCP.Agents.Runtime.Orchestration.Memory;

/// <summary>One logged exchange between two agents (or an agent and a sub-agent).</summary>
/// <param name="At">When (the runtime's clock).</param>
/// <param name="AgentId">The agent whose log this is.</param>
/// <param name="OtherAgentId">The agent it dealt with.</param>
/// <param name="Summary">What was exchanged or agreed.</param>
/// <param name="WithSubAgent">Whether the other agent is a sub-agent of this one.</param>
public sealed record AgentInteraction(DateTimeOffset At, string AgentId, string OtherAgentId, string Summary, bool WithSubAgent);
