namespace SchedCP.Agents.Runtime.Orchestration.Memory;

/// <summary>An agent's memory at one moment: structured summary, next steps, interaction log and token usage.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Summary">Its current state in a few sentences.</param>
/// <param name="NextSteps">What it means to do next, most pressing first.</param>
/// <param name="Interactions">Its exchanges with other agents, oldest first.</param>
/// <param name="Tokens">Model tokens used.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record AgentMemory(string AgentId, string Summary, IReadOnlyList<NextStep> NextSteps, IReadOnlyList<AgentInteraction> Interactions, TokenUsage Tokens, DateTimeOffset UpdatedAt)
{
    internal static AgentMemory Empty(string agentId) => new(agentId, string.Empty, [], [], TokenUsage.None, DateTimeOffset.MinValue);
}
