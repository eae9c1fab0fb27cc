using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Console.Api;

namespace SchedCP.Console.Feed;

/// <summary>
/// Everything the console shows, in one place: the agent runtimes and DAG orchestrators a host attached, the
/// optimisation loops that report through <see cref="IOptimizationLoopFeed"/>, and recorded runs. Every change bumps
/// <see cref="Version"/>, which the pages' event stream waits on. Thread-safe; bounded (the oldest finished loop or run
/// is dropped past the limits).
/// </summary>
public sealed class ConsoleFeed : IOptimizationLoopFeed, IDisposable
{
    /// <summary>Most loops kept.</summary>
    public const int MaxLoops = 64;

    /// <summary>Most recorded runs kept.</summary>
    public const int MaxRuns = 64;

    /// <summary>Most candidates, stages or verifier reports kept per loop.</summary>
    public const int MaxPerLoop = 256;

    /// <summary>Most events kept per run.</summary>
    public const int MaxEventsPerRun = 100_000;

    private const int MaxText = 4096;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, AgentRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DagOrchestrator> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OptimizationLoopView> _loops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordedRun> _runs = new(StringComparer.Ordinal);
    private readonly List<string> _loopOrder = [];
    private readonly List<string> _runOrder = [];
    private readonly CancellationTokenSource _stopping = new();
    private RuntimeRecordStore? _state;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;
    private int _disposed;

    /// <summary>Creates an empty feed.</summary>
    /// <param name="timeProvider">Clock for the loops' timestamps.</param>
    public ConsoleFeed(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Bumped on every change.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The attached runtimes by id, in id order.</summary>
    public IReadOnlyList<KeyValuePair<string, AgentRuntime>> Runtimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _runtimes.OrderBy(r => r.Key, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The attached orchestrators by id, in id order.</summary>
    public IReadOnlyList<KeyValuePair<string, DagOrchestrator>> Orchestrators
    {
        get
        {
            lock (_gate)
            {
                return [.. _orchestrators.OrderBy(r => r.Key, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The loops, oldest first.</summary>
    public IReadOnlyList<OptimizationLoopView> Loops
    {
        get
        {
            lock (_gate)
            {
                return [.. _loopOrder.Select(id => _loops[id])];
            }
        }
    }

    /// <summary>The recorded (and live) runs, oldest first.</summary>
    public IReadOnlyList<RecordedRun> Runs
    {
        get
        {
            lock (_gate)
            {
                return [.. _runOrder.Select(id => _runs[id])];
            }
        }
    }

    /// <summary>A runtime by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The runtime or null.</returns>
    public AgentRuntime? Runtime(string id)
    {
        lock (_gate)
        {
            return _runtimes.GetValueOrDefault(id);
        }
    }

    /// <summary>An orchestrator by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The orchestrator or null.</returns>
    public DagOrchestrator? Orchestrator(string id)
    {
        lock (_gate)
        {
            return _orchestrators.GetValueOrDefault(id);
        }
    }

    /// <summary>A loop by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The loop or null.</returns>
    public OptimizationLoopView? Loop(string id)
    {
        lock (_gate)
        {
            return _loops.GetValueOrDefault(id);
        }
    }

    /// <summary>A run by id: a live runtime's events so far, or a recorded run.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The run or null.</returns>
    public RecordedRun? Run(string id)
    {
        AgentRuntime? live;
        lock (_gate)
        {
            if (_runs.TryGetValue(id, out var recorded))
            {
                return recorded;
            }

            live = _runtimes.GetValueOrDefault(id);
        }

        return live is null ? null : new RecordedRun(id, Cap(live.EventLog.ReadAll()), null, Live: true);
    }

    /// <summary>
    /// Shows the runs and artifacts kept in a runtime state file or database (<c>AgentRuntimeOptions.StatePath</c>):
    /// those of runtimes in other processes, earlier or killed ones included. The feed disposes the store.
    /// </summary>
    /// <param name="records">The state's record store, e.g. <see cref="RuntimeRecordStore.Sqlite"/> on the runtimes' state file.</param>
    public void AttachState(RuntimeRecordStore records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Interlocked.Exchange(ref _state, records)?.Dispose();
        Changed();
    }

    /// <summary>The attached state's runs and artifacts, or null when none is attached.</summary>
    internal (AgentRunHistory Runs, ArtifactStore Artifacts)? State =>
        Volatile.Read(ref _state) is { } records ? (new AgentRunHistory(records), new ArtifactStore(records)) : null;

    /// <summary>
    /// Shows a runtime: its agents, leases, waiters and change sets, live. When its run ends, its events stay as a
    /// recorded run with the same id (replayable on the timeline page) and the runtime is let go.
    /// </summary>
    /// <param name="id">The id the console shows.</param>
    /// <param name="runtime">The runtime.</param>
    public void AttachRuntime(string id, AgentRuntime runtime)
    {
        ConsoleIds.ThrowIfInvalid(id, nameof(id));
        ArgumentNullException.ThrowIfNull(runtime);
        var events = runtime.WatchAsync(_stopping.Token);
        lock (_gate)
        {
            _runtimes[id] = runtime;
        }

        Changed();
        _ = WatchAsync(id, runtime, events);
    }

    /// <summary>Shows a DAG orchestrator. It does not announce its ticks: call <see cref="Changed"/> after each one.</summary>
    /// <param name="id">The id the console shows.</param>
    /// <param name="orchestrator">The orchestrator.</param>
    public void AttachOrchestrator(string id, DagOrchestrator orchestrator)
    {
        ConsoleIds.ThrowIfInvalid(id, nameof(id));
        ArgumentNullException.ThrowIfNull(orchestrator);
        lock (_gate)
        {
            _orchestrators[id] = orchestrator;
        }

        Changed();
    }

    /// <summary>Adds a recorded run, e.g. a loaded event log or a replay with its divergence.</summary>
    /// <param name="id">The id.</param>
    /// <param name="events">The events.</param>
    /// <param name="divergence">Where a replay parted from the record, or null.</param>
    public void AddRecordedRun(string id, IReadOnlyList<RuntimeEvent> events, ReplayDivergence? divergence = null)
    {
        ConsoleIds.ThrowIfInvalid(id, nameof(id));
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            if (!_runs.ContainsKey(id))
            {
                if (_runOrder.Count >= MaxRuns)
                {
                    _runs.Remove(_runOrder[0]);
                    _runOrder.RemoveAt(0);
                }

                _runOrder.Add(id);
            }

            _runs[id] = new RecordedRun(id, Cap(events), divergence, Live: false);
        }

        Changed();
    }

    /// <summary>Announces a change the feed cannot see itself (an orchestrator tick).</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _version);
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>Waits until <see cref="Version"/> moves past <paramref name="seen"/>.</summary>
    /// <param name="seen">The version the caller has shown.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The new version.</returns>
    public async Task<long> WaitForChangeAsync(long seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (Version != seen)
            {
                return Version;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void LoopStarted(string loopId, string workload, string metric, bool higherIsBetter)
    {
        ConsoleIds.ThrowIfInvalid(loopId, nameof(loopId));
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_loops.ContainsKey(loopId))
            {
                // Make room first: the oldest finished loop goes, else the oldest.
                if (_loopOrder.Count >= MaxLoops)
                {
                    var drop = _loopOrder.FirstOrDefault(id => _loops[id].Finished) ?? _loopOrder[0];
                    _loops.Remove(drop);
                    _loopOrder.Remove(drop);
                }

                _loopOrder.Add(loopId);
            }

            // A second call (the metric is known only after observation) updates the header and keeps what was reported.
            _loops[loopId] = _loops.TryGetValue(loopId, out var known)
                ? known with { Workload = Clip(workload), Metric = Clip(metric), HigherIsBetter = higherIsBetter, UpdatedAt = now }
                : new OptimizationLoopView(loopId, Clip(workload), Clip(metric), higherIsBetter, [], [], [], [], null, now, now);
        }

        Changed();
    }

    /// <inheritdoc />
    public void StageChanged(string loopId, LoopStageView stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        stage = stage with { Name = Clip(stage.Name), Detail = stage.Detail is null ? null : Clip(stage.Detail) };
        Update(loopId, l => l with { Stages = Upsert(l.Stages, stage, s => s.Name == stage.Name) });
    }

    /// <inheritdoc />
    public void CandidateChanged(string loopId, CandidateView candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        candidate = candidate with { Label = Clip(candidate.Label), Policy = Clip(candidate.Policy), Status = Clip(candidate.Status), Reason = candidate.Reason is null ? null : Clip(candidate.Reason) };
        Update(loopId, l => l with { Candidates = Upsert(l.Candidates, candidate, c => c.Label == candidate.Label) });
    }

    /// <inheritdoc />
    public void VerifierReported(string loopId, VerifierReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Update(loopId, l => l with { VerifierReports = Upsert(l.VerifierReports, report, r => r.Candidate == report.Candidate) });
    }

    /// <inheritdoc />
    public void CostReported(string loopId, IReadOnlyList<CostView> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        Update(loopId, l => l with { Cost = [.. stages.Take(MaxPerLoop)] });
    }

    /// <inheritdoc />
    public void LoopFinished(string loopId, string outcome) => Update(loopId, l => l with { Outcome = Clip(outcome ?? "ended") });

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
            Interlocked.Exchange(ref _state, null)?.Dispose();
        }
    }

    private void Update(string loopId, Func<OptimizationLoopView, OptimizationLoopView> change)
    {
        ConsoleIds.ThrowIfInvalid(loopId, nameof(loopId));
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_loops.TryGetValue(loopId, out var loop))
            {
                throw new InvalidOperationException($"Loop '{loopId}' was not started: call LoopStarted first.");
            }

            _loops[loopId] = change(loop) with { UpdatedAt = now };
        }

        Changed();
    }

    private async Task WatchAsync(string id, AgentRuntime runtime, IAsyncEnumerable<RuntimeEvent> events)
    {
        try
        {
            await foreach (var _ in events.ConfigureAwait(false))
            {
                Changed();
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // The run ended: keep its record, let the runtime go.
        IReadOnlyList<RuntimeEvent> recorded;
        try
        {
            recorded = runtime.EventLog.ReadAll();
        }
        catch (ObjectDisposedException)
        {
            recorded = [];
        }

        lock (_gate)
        {
            if (_runtimes.TryGetValue(id, out var current) && ReferenceEquals(current, runtime))
            {
                _runtimes.Remove(id);
            }
        }

        AddRecordedRun(id, recorded);
    }

    private static List<T> Upsert<T>(IReadOnlyList<T> list, T item, Func<T, bool> same)
    {
        var copy = list.ToList();
        var index = copy.FindIndex(x => same(x));
        if (index >= 0)
        {
            copy[index] = item;
        }
        else if (copy.Count < MaxPerLoop)
        {
            copy.Add(item);
        }

        return copy;
    }

    private static IReadOnlyList<RuntimeEvent> Cap(IReadOnlyList<RuntimeEvent> events) =>
        events.Count <= MaxEventsPerRun ? events : [.. events.Take(MaxEventsPerRun)];

    private static string Clip(string text) => text is null ? "" : text.Length <= MaxText ? text : text[..MaxText];
}
