using System.Globalization;
using System.Text.Json;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Orchestration.Memory;

/// <summary>
/// The runtime's record of each agent's memory: a structured summary, next steps, an interaction log and token
/// usage (counted from recorded model calls). Agents change it only through these methods; every change is an
/// <see cref="MemoryEventKind"/> event in the event log and live stream, so it is queryable, watched and replayed.
/// With a durable <see cref="RuntimeRecordStore"/> an agent's memory is shared by every runtime naming the same
/// state and outlives the process: a change is read, applied and written in one transaction.
/// </summary>
public sealed class AgentMemoryStore
{
    /// <summary>The kind of the event each change emits.</summary>
    public const string MemoryEventKind = "agent.memory";

    private const string Collection = "agent-memory";
    /// <summary>The longest summary, step list or interaction summary kept, in UTF-16 chars.</summary>
    public const int MaxTextChars = 1_000_000;

    private readonly Lock _gate = new();
    private readonly RuntimeRecordStore _records;
    private readonly EventRecorder _recorder;

    internal AgentMemoryStore(EventRecorder recorder, RuntimeRecordStore records)
    {
        _recorder = recorder;
        _records = records;
    }

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
    public AgentMemory Get(string agentId) =>
        RecordInput.CheckName("agentId", agentId) is null && _records.Get(Collection, agentId) is { } document ? Read(document) : AgentMemory.Empty(agentId);

    /// <summary>Every agent's memory, by id.</summary>
    /// <returns>The memories.</returns>
    public IReadOnlyList<AgentMemory> All() => [.. _records.List(Collection).Select(Read).OrderBy(m => m.AgentId, StringComparer.Ordinal)];

    /// <summary>Interactions between two agents, from either side, oldest first.</summary>
    /// <param name="agentId">One agent.</param>
    /// <param name="otherAgentId">The other.</param>
    /// <returns>The interactions.</returns>
    public IReadOnlyList<AgentInteraction> InteractionsBetween(string agentId, string otherAgentId) =>
        [.. All().SelectMany(m => m.Interactions)
            .Where(i => (i.AgentId == agentId && i.OtherAgentId == otherAgentId) || (i.AgentId == otherAgentId && i.OtherAgentId == agentId))
            .OrderBy(i => i.At)];

    private Outcome<AgentMemory, RuntimeError> Change(string agentId, string subject, string input, Func<AgentMemory, AgentMemory> change)
    {
        if (string.IsNullOrWhiteSpace(agentId))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "agentId is empty: name the agent whose memory changes.");
        }

        if ((RecordInput.CheckName("agentId", agentId) ?? RecordInput.CheckName("subject", subject) ?? RecordInput.CheckText("memory text", input, MaxTextChars)) is { } invalid)
        {
            return invalid;
        }

        // One change at a time in this runtime keeps the event log in the order the memory changed.
        lock (_gate)
        {
            var now = _recorder.PeekTime();
            AgentMemory? updated = null;
            _records.Update(Collection, agentId, current =>
            {
                updated = change(current is null ? AgentMemory.Empty(agentId) : Read(current)) with { UpdatedAt = now };
                return JsonSerializer.Serialize(updated, RecordInput.Json);
            });
            _recorder.Emit(MemoryEventKind, agentId, subject, input, time: now);
            return updated!;
        }
    }

    private static AgentMemory Read(string document) =>
        JsonSerializer.Deserialize<AgentMemory>(document, RecordInput.Json) ?? throw new InvalidDataException("An agent memory record is empty.");
}
