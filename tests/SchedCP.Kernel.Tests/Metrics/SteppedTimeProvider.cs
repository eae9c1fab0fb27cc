namespace SchedCP.Kernel.Tests.Metrics;

/// <summary>A monotonic clock that moves only when told to.</summary>
internal sealed class SteppedTimeProvider : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
