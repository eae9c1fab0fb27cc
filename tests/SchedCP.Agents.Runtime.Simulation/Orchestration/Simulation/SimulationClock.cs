namespace SchedCP.Agents.Runtime.Orchestration.Simulation;

/// <summary>A clock that only moves when a <see cref="DagSimulation"/> moves it.</summary>
/// <param name="start">The initial time.</param>
public sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward to <paramref name="time"/> (never backward).</summary>
    /// <param name="time">The new time.</param>
    public void AdvanceTo(DateTimeOffset time)
    {
        if (time > _now)
        {
            _now = time;
        }
    }
}
