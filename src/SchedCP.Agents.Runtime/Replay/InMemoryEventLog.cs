namespace SchedCP.Agents.Runtime.Replay;

/// <summary>An event log kept in memory.</summary>
public sealed class InMemoryEventLog : IEventLog
{
    private readonly List<RuntimeEvent> _events = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Append(RuntimeEvent runtimeEvent)
    {
        lock (_gate)
        {
            _events.Add(runtimeEvent);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<RuntimeEvent> ReadAll()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }
}
