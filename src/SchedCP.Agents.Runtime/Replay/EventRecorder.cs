using SchedCP.Agents.Runtime.Observability;

namespace SchedCP.Agents.Runtime.Replay;

/// <summary>
/// Stamps, numbers and stores events while recording; while replaying, compares each event with the log
/// and hands out recorded results, remembering the first divergence.
/// </summary>
internal sealed class EventRecorder
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly IEventLog _log;
    private readonly RuntimeEventFeed _stream;
    private readonly IReadOnlyList<RuntimeEvent>? _recorded;
    private long _sequence;

    public EventRecorder(TimeProvider clock, IEventLog log, RuntimeEventFeed stream, IReadOnlyList<RuntimeEvent>? recorded)
    {
        _clock = clock;
        _log = log;
        _stream = stream;
        _recorded = recorded;
    }

    public bool Replaying => _recorded is not null;

    public ReplayDivergence? Divergence { get; private set; }

    /// <summary>The time the next event will carry: the clock, or the recorded stamp during replay.</summary>
    public DateTimeOffset PeekTime()
    {
        lock (_gate)
        {
            if (_recorded is null)
            {
                return _clock.GetUtcNow();
            }

            return _sequence < _recorded.Count ? _recorded[(int)_sequence].Timestamp
                : _recorded.Count > 0 ? _recorded[^1].Timestamp : DateTimeOffset.UnixEpoch;
        }
    }

    public RuntimeEvent? PeekExpected()
    {
        lock (_gate)
        {
            return _recorded is not null && _sequence < _recorded.Count ? _recorded[(int)_sequence] : null;
        }
    }

    public RuntimeEvent Emit(string kind, string? agentId, string subject, string? input = null, string? output = null, DateTimeOffset? time = null)
    {
        RuntimeEvent runtimeEvent;
        lock (_gate)
        {
            runtimeEvent = new RuntimeEvent(_sequence + 1, time ?? PeekTime(), kind, agentId, subject, input, output);
            if (_recorded is not null)
            {
                Compare(runtimeEvent, compareOutput: true);
            }

            _sequence++;
            _log.Append(runtimeEvent);
        }

        _stream.Publish(runtimeEvent);
        RuntimeTelemetry.Events.Add(1, new KeyValuePair<string, object?>("kind", kind));
        return runtimeEvent;
    }

    /// <summary>Records a result computed now, or during replay returns the recorded one.</summary>
    public string? Result(string kind, string? agentId, string subject, string? input, Func<string?> compute)
    {
        if (_recorded is null)
        {
            return Emit(kind, agentId, subject, input, compute()).Output;
        }

        RuntimeEvent actual;
        RuntimeEvent? expected;
        lock (_gate)
        {
            expected = _sequence < _recorded.Count ? _recorded[(int)_sequence] : null;
            actual = new RuntimeEvent(_sequence + 1, expected?.Timestamp ?? PeekTime(), kind, agentId, subject, input, expected?.Output);
            Compare(actual, compareOutput: false);
            _sequence++;
            _log.Append(actual);
        }

        _stream.Publish(actual);
        return actual.Output;
    }

    /// <summary>At the end of a replay: a log with events left over diverges where the run stopped.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_recorded is not null && Divergence is null && _sequence < _recorded.Count)
            {
                Divergence = new ReplayDivergence(_sequence + 1, _recorded[(int)_sequence], null);
            }
        }
    }

    public void ThrowIfDiverged()
    {
        var divergence = Divergence;
        if (divergence is not null)
        {
            throw new ReplayDivergenceException(divergence);
        }
    }

    private void Compare(RuntimeEvent actual, bool compareOutput)
    {
        if (Divergence is not null)
        {
            return;
        }

        var expected = _sequence < _recorded!.Count ? _recorded[(int)_sequence] : null;
        var same = expected is not null
            && string.Equals(expected.Kind, actual.Kind, StringComparison.Ordinal)
            && string.Equals(expected.AgentId, actual.AgentId, StringComparison.Ordinal)
            && string.Equals(expected.Subject, actual.Subject, StringComparison.Ordinal)
            && string.Equals(expected.Input, actual.Input, StringComparison.Ordinal)
            && (!compareOutput || RuntimeEventKinds.IsRecordedResult(actual.Kind) || string.Equals(expected.Output, actual.Output, StringComparison.Ordinal));
        if (!same)
        {
            Divergence = new ReplayDivergence(actual.Sequence, expected, actual);
        }
    }
}
