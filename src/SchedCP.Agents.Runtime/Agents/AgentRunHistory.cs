using System.Text.Json;
using SchedCP.Agents.Runtime.Records;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>
/// The runs of every runtime that shares this runtime's state, this one's included: each agent's state, failure and
/// change set as last recorded. In memory it holds this runtime's runs only; with a state file or database it also
/// holds the runs of earlier and concurrent runtimes, including ones whose process was killed.
/// </summary>
public sealed class AgentRunHistory
{
    private const string Collection = "agent-run";
    private readonly RuntimeRecordStore _records;

    /// <summary>Reads (and, in a runtime, writes) the runs kept in <paramref name="records"/>, e.g. a console reading a runtime's state file.</summary>
    /// <param name="records">The record store; the caller disposes it.</param>
    public AgentRunHistory(RuntimeRecordStore records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = records;
    }

    /// <summary>Every recorded run, oldest change first.</summary>
    /// <returns>The runs.</returns>
    public IReadOnlyList<AgentRunRecord> List() =>
        [.. _records.List(Collection).Select(Read).OrderBy(r => r.UpdatedAt).ThenBy(r => r.RuntimeId, StringComparer.Ordinal).ThenBy(r => r.AgentId, StringComparer.Ordinal)];

    /// <summary>The runs of one runtime.</summary>
    /// <param name="runtimeId">Its <see cref="AgentRuntime.RuntimeId"/>.</param>
    /// <returns>Its runs.</returns>
    public IReadOnlyList<AgentRunRecord> ForRuntime(string runtimeId) => [.. List().Where(r => r.RuntimeId == runtimeId)];

    internal void Save(AgentRunRecord record) =>
        _records.Update(Collection, record.RuntimeId + "/" + record.AgentId, _ => JsonSerializer.Serialize(record, RecordInput.Json));

    private static AgentRunRecord Read(string document) =>
        JsonSerializer.Deserialize<AgentRunRecord>(document, RecordInput.Json) ?? throw new InvalidDataException("A run record is empty.");
}
