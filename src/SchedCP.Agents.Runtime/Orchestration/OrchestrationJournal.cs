using System.Globalization;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Observability;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>
/// Where an orchestration records its inputs (submissions, times, completions, failures, interruptions) and its
/// outputs (decisions, transitions): the runtime's event log, a log of its own, or nowhere. While replaying, times
/// come from the log and every output is compared with the recorded one; <see cref="Divergence"/> names the first difference.
/// </summary>
public sealed class OrchestrationJournal
{
    private readonly EventRecorder? _recorder;

    private OrchestrationJournal(EventRecorder? recorder) => _recorder = recorder;

    /// <summary>Records nothing (benchmarks, what-if simulations).</summary>
    public static OrchestrationJournal None { get; } = new(null);

    /// <summary>Whether anything is recorded.</summary>
    public bool IsRecording => _recorder is not null;

    /// <summary>Whether this journal replays a recorded log.</summary>
    public bool IsReplaying => _recorder?.Replaying ?? false;

    /// <summary>The first difference from the recorded log during a replay; null when none (yet).</summary>
    public ReplayDivergence? Divergence => _recorder?.Divergence;

    /// <summary>Records to <paramref name="log"/>, stamping events with <paramref name="clock"/>.</summary>
    /// <param name="log">The log.</param>
    /// <param name="clock">The clock.</param>
    /// <returns>The journal.</returns>
    public static OrchestrationJournal Recording(IEventLog log, TimeProvider clock) => new(new EventRecorder(clock, log, new RuntimeEventFeed(256), null));

    /// <summary>Replays <paramref name="recorded"/>: used by <see cref="OrchestrationReplay"/>.</summary>
    /// <param name="recorded">The recorded events.</param>
    /// <returns>The journal.</returns>
    public static OrchestrationJournal Replaying(IReadOnlyList<RuntimeEvent> recorded) =>
        new(new EventRecorder(TimeProvider.System, new InMemoryEventLog(), new RuntimeEventFeed(256), recorded));

    /// <summary>Records into a runtime's event log (and live event stream), or replays from it when the runtime replays.</summary>
    /// <param name="runtime">The runtime.</param>
    /// <returns>The journal.</returns>
    public static OrchestrationJournal Of(AgentRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return new(runtime.Recorder);
    }

    internal DateTimeOffset Now(TimeProvider clock, string subject, string? input)
    {
        if (_recorder is null)
        {
            return clock.GetUtcNow();
        }

        var text = _recorder.Result(RuntimeEventKinds.Time, null, subject, input, () => clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture));
        return text is null ? clock.GetUtcNow() : new DateTimeOffset(long.Parse(text, CultureInfo.InvariantCulture), TimeSpan.Zero);
    }

    internal ReplayDivergence? Finish()
    {
        _recorder?.Finish();
        return Divergence;
    }

    internal void Record(string kind, string subject, string? input = null, string? output = null) =>
        _recorder?.Emit(kind, null, subject, input, output);
}
