namespace SchedCP.Kernel.Metrics;

/// <summary>Whether <c>perf stat</c> could count an event.</summary>
public enum PerfCounterStatus
{
    /// <summary>The event was counted; <see cref="PerfCounter.Value"/> holds the count.</summary>
    Counted,

    /// <summary>The event exists but was never scheduled on the PMU (<c>&lt;not counted&gt;</c>).</summary>
    NotCounted,

    /// <summary>This machine cannot count the event (<c>&lt;not supported&gt;</c>), e.g. hardware counters in a VM without a virtual PMU.</summary>
    NotSupported,
}

/// <summary>One line of <c>perf stat -x,</c> output.</summary>
/// <param name="Event">The event name as perf printed it (modifiers such as <c>:u</c> kept).</param>
/// <param name="Status">Whether it was counted.</param>
/// <param name="Value">The count (or milliseconds for <c>task-clock</c>); null unless counted.</param>
/// <param name="Unit">The value's unit, e.g. <c>msec</c>; empty for plain counts.</param>
/// <param name="RunningPercent">Share of the time the counter ran on the PMU (below 100 when multiplexed); null if not printed.</param>
/// <param name="MetricValue">The derived metric perf printed beside it (e.g. CPUs utilized); null if none.</param>
/// <param name="MetricUnit">The derived metric's unit; empty if none.</param>
public sealed record PerfCounter(
    string Event,
    PerfCounterStatus Status,
    double? Value,
    string Unit,
    double? RunningPercent,
    double? MetricValue,
    string MetricUnit);

/// <summary>What one <c>perf stat</c> run counted.</summary>
/// <param name="Counters">One entry per event, in perf's order.</param>
/// <param name="Elapsed">Wall-clock time of the run, measured by the runner; zero when parsed from text.</param>
public sealed record PerfStatReport(IReadOnlyList<PerfCounter> Counters, TimeSpan Elapsed)
{
    /// <summary>The counter for an event (matched with or without perf's <c>:u</c>/<c>:k</c> modifiers), or null.</summary>
    /// <param name="eventName">The event, e.g. <c>context-switches</c>.</param>
    public PerfCounter? Find(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        foreach (var c in Counters)
        {
            if (c.Event == eventName || (c.Event.StartsWith(eventName, StringComparison.Ordinal) && c.Event.Length > eventName.Length && c.Event[eventName.Length] == ':'))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The counted value of an event, or null when it is absent or was not counted.</summary>
    /// <param name="eventName">The event, e.g. <c>cycles</c>.</param>
    public double? ValueOf(string eventName) => Find(eventName)?.Value;

    /// <summary>Instructions per cycle, when both were counted and cycles is non-zero.</summary>
    public double? InstructionsPerCycle =>
        ValueOf("instructions") is { } i && ValueOf("cycles") is { } c && c > 0 ? i / c : null;
}
