using System.Globalization;
using System.Text.Json;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Orchestration.Memory;

/// <summary>
/// The runtime's record of each agent's memory: a structured summary, next steps, an interaction log and token
/// usage (counted from recorded model calls). Agents change it only through these methods; every change is an
/// <see cref="MemoryEventKind"/> event in the event log and live stream, so it is queryable, watched and replayed.
/// </summary>
public sealed class AgentMemoryStore
{
    /// <summary>The kind of the event each change emits.</summary>
    public const string MemoryEventKind = "agent.memory";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, AgentMemory> _memories = new(StringComparer.Ordinal);
    private readonly EventRecorder _recorder;

    internal AgentMemoryStore(EventRecorder recorder) => _recorder = recorder;

    /// <summary>Replaces an agent's summary.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="summary">Its state now.</param>
    /// <returns>The memory, or <see cref="RuntimeErrorCode.InvalidInput"/> for an empty id or summary.</returns>
    public Outcome<AgentMemory, RuntimeError> UpdateSummary(string agentId, string summary) =>
        string.IsNullOrWhiteSpace(summary)
            ? new RuntimeError(RuntimeErrorCode.InvalidInput, "summary is empty: say what state the agent is in.")
            : Change(agentId, "summary", summary, m => m with { Summary = summary });

    /// <summary>Replaces an agent's next steps (kept most pressing first).</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="steps">The steps.</param>
    /// <returns>The memory or an error.</returns>
    public Outcome<AgentMemory, RuntimeError> SetNextSteps(string agentId, IReadOnlyList<NextStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return Change(agentId, "next-steps", JsonSerializer.Serialize(steps.Select(s => new { s.Description, Priority = s.Priority.ToString() })),
            m => m with { NextSteps = [.. steps.OrderByDescending(s => s.Priority)] });
    }

    /// <summary>Logs an exchange with another agent.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="otherAgentId">The agent it dealt with.</param>
    /// <param name="summary">What was exchanged.</param>
    /// <param name="withSubAgent">Whether the other is its sub-agent.</param>
    /// <returns>The memory or an error.</returns>
    public Outcome<AgentMemory, RuntimeError> LogInteraction(string agentId, string otherAgentId, string summary, bool withSubAgent = false)
    {
        if (string.IsNullOrWhiteSpace(otherAgentId) || string.IsNullOrWhiteSpace(summary))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "an interaction needs the other agent's id and a summary of what was exchanged.");
        }

        return Change(agentId, "interaction " + otherAgentId, summary,
            m => m with { Interactions = [.. m.Interactions, new AgentInteraction(_recorder.PeekTime(), agentId, otherAgentId, summary, withSubAgent)] });
    }

    /// <summary>Adds model token usage (the runtime calls this for every recorded model call that reports usage).</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="inputTokens">Prompt tokens.</param>
    /// <param name="outputTokens">Completion tokens.</param>
    /// <returns>The memory or an error.</returns>
    public Outcome<AgentMemory, RuntimeError> AddTokens(string agentId, long inputTokens, long outputTokens) =>
        inputTokens < 0 || outputTokens < 0
            ? new RuntimeError(RuntimeErrorCode.InvalidInput, "token counts must be >= 0.")
            : Change(agentId, "tokens", string.Create(CultureInfo.InvariantCulture, $"{inputTokens} in, {outputTokens} out"),
                m => m with { Tokens = new TokenUsage(m.Tokens.InputTokens + inputTokens, m.Tokens.OutputTokens + outputTokens, m.Tokens.ModelCalls + 1) });

    /// <summary>An agent's memory.</summary>
    /// <param name="agentId">The agent.</param>
    /// <returns>Its memory; empty for an agent that has none yet.</returns>
    public AgentMemory Get(string agentId)
    {
        lock (_gate)
        {
            return _memories.GetValueOrDefault(agentId) ?? AgentMemory.Empty(agentId);
        }
    }

    /// <summary>Every agent's memory, by id.</summary>
    /// <returns>The memories.</returns>
    public IReadOnlyList<AgentMemory> All()
    {
        lock (_gate)
        {
            return [.. _memories.Values.OrderBy(m => m.AgentId, StringComparer.Ordinal)];
        }
    }

    /// <summary>Interactions between two agents, from either side, oldest first.</summary>
    /// <param name="agentId">One agent.</param>
    /// <param name="otherAgentId">The other.</param>
    /// <returns>The interactions.</returns>
    public IReadOnlyList<AgentInteraction> InteractionsBetween(string agentId, string otherAgentId)
    {
        lock (_gate)
        {
            return [.. _memories.Values.SelectMany(m => m.Interactions)
                .Where(i => (i.AgentId == agentId && i.OtherAgentId == otherAgentId) || (i.AgentId == otherAgentId && i.OtherAgentId == agentId))
                .OrderBy(i => i.At)];
        }
    }

    private Outcome<AgentMemory, RuntimeError> Change(string agentId, string subject, string input, Func<AgentMemory, AgentMemory> change)
    {
        if (string.IsNullOrWhiteSpace(agentId))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "agentId is empty: name the agent whose memory changes.");
        }

        lock (_gate)
        {
            var now = _recorder.PeekTime();
            var updated = change(_memories.GetValueOrDefault(agentId) ?? AgentMemory.Empty(agentId)) with { UpdatedAt = now };
            _memories[agentId] = updated;
            _recorder.Emit(MemoryEventKind, agentId, subject, input, time: now);
            return updated;
        }
    }
}
