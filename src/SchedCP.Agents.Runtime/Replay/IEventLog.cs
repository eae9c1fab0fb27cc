namespace SchedCP.Agents.Runtime.Replay;

/// <summary>An append-only store of runtime events.</summary>
public interface IEventLog
{
    /// <summary>Appends one event.</summary>
    /// <param name="runtimeEvent">The event.</param>
    void Append(RuntimeEvent runtimeEvent);

    /// <summary>Every event appended so far, in order.</summary>
    /// <returns>The events.</returns>
    IReadOnlyList<RuntimeEvent> ReadAll();
}
