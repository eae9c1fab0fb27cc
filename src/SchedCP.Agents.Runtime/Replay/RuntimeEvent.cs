namespace SchedCP.Agents.Runtime.Replay;

/// <summary>One entry of the append-only event log (one JSON line in the file).</summary>
/// <param name="Sequence">1-based position in the log.</param>
/// <param name="Timestamp">The runtime's time when it happened.</param>
/// <param name="Kind">One of <see cref="RuntimeEventKinds"/>.</param>
/// <param name="AgentId">The agent it concerns, or null for the runtime itself.</param>
/// <param name="Subject">What it is about: a tool name and path, a lease, a resource.</param>
/// <param name="Input">The request, as text (often JSON).</param>
/// <param name="Output">The result, as text (often JSON); for tool, model, time and random events this is what a replay returns.</param>
public sealed record RuntimeEvent(long Sequence, DateTimeOffset Timestamp, string Kind, string? AgentId, string Subject, string? Input, string? Output)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"#{Sequence} {Kind} agent={AgentId ?? "-"} {Subject}{(Input is null ? string.Empty : " in=" + Input)}{(Output is null ? string.Empty : " out=" + Output)}";
}
