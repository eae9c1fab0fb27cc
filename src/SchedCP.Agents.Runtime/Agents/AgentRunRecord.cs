using SchedCP.Agents.Runtime.Artifacts;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>What the runtime keeps of one agent run, in memory or in the durable state, for consoles and for runtimes started later.</summary>
/// <param name="RuntimeId">The runtime that ran it (its <see cref="AgentRuntime.RuntimeId"/>): same-named agents of different runtimes are different runs.</param>
/// <param name="AgentId">The agent.</param>
/// <param name="State">Its last known state; a run whose process died keeps the state it was in.</param>
/// <param name="FailureReason">Why it failed, when it did.</param>
/// <param name="ChangeSetStatus">Whether its changes are applied or reverted.</param>
/// <param name="Changes">Its file changes in order.</param>
/// <param name="UpdatedAt">When the record last changed (the runtime's clock).</param>
public sealed record AgentRunRecord(string RuntimeId, string AgentId, AgentState State, string? FailureReason, ChangeSetStatus ChangeSetStatus, IReadOnlyList<FileChange> Changes, DateTimeOffset UpdatedAt);
