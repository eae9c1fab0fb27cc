using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Claims.Storage;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.Observability;
using SchedCP.Agents.Runtime.Orchestration.Memory;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Agents.Runtime.Tools;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>
/// Runs agents as scheduled workers: one agent has the turn at a time (no hidden parallelism), turns end
/// at claims and yields, ready agents run in FIFO order, and every event is recorded. Given the same
/// agents, inputs and recorded tool results, a run grants claims and schedules agents in the same order;
/// <see cref="ForReplay"/> checks exactly that against a recorded log.
/// </summary>
public sealed partial class AgentRuntime : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<AgentRun> _runs = [];
    private readonly Queue<AgentRun> _ready = new();
    private readonly Queue<(string Kind, string AgentId)> _commands = new();
    private readonly SemaphoreSlim _commandSignal = new(0);
    private readonly EventRecorder _recorder;
    private readonly IEventLog _log;
    private readonly bool _ownsLog;
    private readonly IChatClient? _chatClient;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly RuntimeEventFeed _stream;
    private readonly WorkUnitLockStore? _lockStore;
    private readonly RuntimeRecordStore _records;

    /// <summary>Creates a runtime that records.</summary>
    /// <param name="options">Options; validated here (a <see cref="System.ComponentModel.DataAnnotations.ValidationException"/> names a bad field).</param>
    /// <param name="timeProvider">The clock; default the system clock.</param>
    /// <param name="eventLog">Where events go; default a JSON-lines file at <see cref="AgentRuntimeOptions.EventLogPath"/>.</param>
    /// <param name="chatClient">The model agents may call, wrapped so calls are recorded; optional.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    public AgentRuntime(AgentRuntimeOptions options, TimeProvider? timeProvider = null, IEventLog? eventLog = null, IChatClient? chatClient = null, ILoggerFactory? loggerFactory = null)
        : this(options, timeProvider, eventLog, chatClient, loggerFactory, recorded: null)
    {
    }

    private AgentRuntime(AgentRuntimeOptions options, TimeProvider? timeProvider, IEventLog? eventLog, IChatClient? chatClient, ILoggerFactory? loggerFactory, IReadOnlyList<RuntimeEvent>? recorded)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Clock = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AgentRuntime>();
        _chatClient = chatClient;
        _random = new Random(options.RandomSeed);
        _stream = new RuntimeEventFeed(options.EventStreamCapacity);
        if (eventLog is null && recorded is null && options.EventLogPath is not null)
        {
            eventLog = new JsonLinesEventLog(Path.Combine(options.WorkspaceRoot, options.EventLogPath));
            _ownsLog = true;
        }

        _log = recorded is null ? eventLog ?? new InMemoryEventLog() : new InMemoryEventLog();
        _recorder = new EventRecorder(Clock, _log, _stream, recorded);
        var tableClock = recorded is null ? Clock : new ReplayClock(_recorder);
        RuntimeId = options.StateHolderScope ?? $"{Environment.ProcessId}-{Guid.NewGuid():N}";
        // A replay re-decides claims and rebuilds its records in memory: the recorded run's shared state is not the replay's to change.
        if (recorded is null && (options.StateConnectionString ?? options.StatePath) is not null)
        {
            var statePath = options.StatePath is null ? null : Path.Combine(options.WorkspaceRoot, options.StatePath);
            _lockStore = options.StateConnectionString is { } connectionString ? WorkUnitLockStore.PostgreSql(connectionString) : WorkUnitLockStore.Sqlite(statePath!);
            _records = options.StateConnectionString is { } records ? RuntimeRecordStore.PostgreSql(records) : RuntimeRecordStore.Sqlite(statePath!);
            Locks = new WorkUnitLockTable(tableClock, _lockStore, new ClaimEvents(this), RuntimeId);
        }
        else
        {
            _records = RuntimeRecordStore.InMemory();
            Locks = new WorkUnitLockTable(tableClock, new ClaimEvents(this));
        }

        Artifacts = new ArtifactStore(_records, options.MaxArtifactChars);
        Tools = new ToolHost(options, Locks, Artifacts, tableClock);
        Memory = new AgentMemoryStore(_recorder, _records);
        Runs = new AgentRunHistory(_records);
    }

    /// <summary>Creates a runtime that re-runs agents against a recorded log: tool, model, time and random results come from the log, and the first event that differs is reported.</summary>
    /// <param name="options">The options of the recorded run.</param>
    /// <param name="recorded">The recorded events.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    /// <returns>The replay runtime; add the same agents and call <see cref="RunAsync"/>.</returns>
    public static AgentRuntime ForReplay(AgentRuntimeOptions options, IReadOnlyList<RuntimeEvent> recorded, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return new AgentRuntime(options, TimeProvider.System, null, null, loggerFactory, recorded);
    }

    /// <summary>The options.</summary>
    public AgentRuntimeOptions Options { get; }

    /// <summary>The claims, leases and queues.</summary>
    public WorkUnitLockTable Locks { get; }

    /// <summary>The tool host (operators use it to revert or apply change sets).</summary>
    public ToolHost Tools { get; }

    /// <summary>Each agent's summary, next steps, interaction log and token usage; every change is an event.</summary>
    public AgentMemoryStore Memory { get; }

    /// <summary>All artifacts (with a state file or database, those of every runtime sharing it).</summary>
    public ArtifactStore Artifacts { get; }

    /// <summary>The recorded runs: this runtime's agents and, with a state file or database, those of every runtime sharing it.</summary>
    public AgentRunHistory Runs { get; }

    /// <summary>
    /// The name of this runtime in shared state: <see cref="AgentRuntimeOptions.StateHolderScope"/>, or a fresh name.
    /// Its agents are stored as holders and runs under this name.
    /// </summary>
    public string RuntimeId { get; }

    /// <summary>The events recorded so far.</summary>
    public IEventLog EventLog => _log;

    /// <summary>The agents in the order they were added.</summary>
    public IReadOnlyList<AgentRun> Agents
    {
        get
        {
            lock (_gate)
            {
                return [.. _runs];
            }
        }
    }

    internal TimeProvider Clock { get; }

    internal EventRecorder Recorder => _recorder;

    /// <summary>Live events for consoles, from now until the run ends.</summary>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<RuntimeEvent> WatchAsync(CancellationToken cancellationToken = default) => _stream.WatchAsync(cancellationToken);

    /// <summary>Adds an agent; agents get their first turns in the order they are added.</summary>
    /// <param name="agentId">A unique id.</param>
    /// <param name="body">Its code.</param>
    /// <returns>The run, or <see cref="RuntimeErrorCode.InvalidInput"/> for an empty or duplicate id.</returns>
    public Outcome<AgentRun, RuntimeError> AddAgent(string agentId, AgentBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(agentId))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "agentId is empty: give each agent a unique name.");
        }

        if (RecordInput.CheckName("agentId", agentId) is { } invalid)
        {
            return invalid;
        }

        AgentRun run;
        lock (_gate)
        {
            if (_runs.Any(r => r.Id == agentId))
            {
                return new RuntimeError(RuntimeErrorCode.InvalidInput, $"agentId '{agentId}' is already used: give each agent a unique name.");
            }

            run = new AgentRun(agentId, body);
            run.ChangeSet.Changed = () =>
            {
                RunChanged(run);
                SaveRuns();
            };
            _runs.Add(run);
            _ready.Enqueue(run);
            _recorder.Emit(RuntimeEventKinds.AgentCreated, agentId, "created");
            RunChanged(run);
        }

        SaveRuns();
        return run;
    }

    /// <summary>Runs one turn of the next ready agent (after applying operator commands).</summary>
    /// <param name="cancellationToken">Stops waiting for the turn.</param>
    /// <returns>False when no agent was ready.</returns>
    public async Task<bool> StepAsync(CancellationToken cancellationToken = default)
    {
        await ApplyCommandsAsync().ConfigureAwait(false);
        SaveRuns();
        if (_recorder.Divergence is not null)
        {
            return false;
        }

        AgentRun? run;
        lock (_gate)
        {
            if (!_ready.TryDequeue(out run))
            {
                return false;
            }
        }

        using var activity = RuntimeTelemetry.Source.StartActivity("agent turn");
        activity?.SetTag("schedcp.agent", run.Id);
        run.TurnEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SetState(run, AgentState.Running);
        SaveRuns();
        if (run.Task is null)
        {
            run.Task = Task.Run(() => RunBodyAsync(run), CancellationToken.None);
        }
        else
        {
            run.Resume.Release();
        }

        await run.TurnEnded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        SaveRuns();
        return true;
    }

    /// <summary>Runs until every agent has ended (or, in a replay, until it diverges).</summary>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The report.</returns>
    public async Task<AgentRunReport> RunAsync(CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await StepAsync(cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (_recorder.Divergence is not null)
            {
                break;
            }

            bool waiting, paused, commands;
            lock (_gate)
            {
                waiting = _runs.Any(r => r.State == AgentState.Waiting);
                paused = _runs.Any(r => r.State == AgentState.Paused);
                commands = _commands.Count > 0;
            }

            if (commands)
            {
                continue;
            }

            if (waiting)
            {
                if (!await LetTimePassAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            if (paused)
            {
                await _commandSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            break;
        }

        // A diverged replay stops every agent still running.
        foreach (var run in Agents.Where(r => !r.IsFinished && r.Task is not null))
        {
            await StopAsync(run).ConfigureAwait(false);
        }

        SaveRuns();
        _recorder.Finish();
        if (_recorder.Divergence is not null)
        {
            _logger.ReplayDiverged(_recorder.Divergence.ToString());
        }

        _stream.Complete();
        return new AgentRunReport(Agents, _log.ReadAll(), _recorder.Divergence);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_lockStore is not null)
        {
            // Leave nothing behind in the shared lock table for other processes to wait out (before the log closes:
            // a release is an event).
            foreach (var run in Agents)
            {
                Locks.ReleaseAll(run.Id);
            }

            _lockStore.Dispose();
        }

        SaveRuns();
        _records.Dispose();

        if (_ownsLog && _log is IDisposable disposable)
        {
            disposable.Dispose();
        }

        _commandSignal.Dispose();
    }

    internal int NextRandom(int maxExclusive)
    {
        lock (_gate)
        {
            return _random.Next(maxExclusive);
        }
    }

    internal void ToolRefused(string tool, string agentId, string reason) => _logger.ToolRefused(tool, agentId, reason);

    /// <summary>Ends the calling agent's turn and waits for the next one.</summary>
    internal async Task EndTurnAsync(AgentRun run, bool waiting)
    {
        lock (_gate)
        {
            if (waiting)
            {
                SetState(run, AgentState.Waiting);
            }
            else if (run.PauseRequested)
            {
                SetState(run, AgentState.Paused);
            }
            else
            {
                SetState(run, AgentState.Ready);
                _ready.Enqueue(run);
            }
        }

        SaveRuns();
        run.TurnEnded.TrySetResult();
        await run.Resume.WaitAsync(run.Termination.Token).ConfigureAwait(false);
        _recorder.ThrowIfDiverged();
    }

    private async Task<bool> LetTimePassAsync(CancellationToken cancellationToken)
    {
        if (_recorder.Replaying)
        {
            if (_recorder.PeekExpected()?.Kind != RuntimeEventKinds.Tick)
            {
                _recorder.Emit(RuntimeEventKinds.Tick, null, "expire");
                return false;
            }
        }
        else
        {
            var expiry = Locks.NextExpiry;
            if (expiry is null && _lockStore is null)
            {
                return false;
            }

            // In shared state another process can hand over units at any time; its grants wake this loop, so
            // with nothing to expire yet only look again now and then.
            var delay = expiry is { } next ? next - Clock.GetUtcNow() : TimeSpan.FromSeconds(1);
            if (delay > TimeSpan.Zero)
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var command = _commandSignal.WaitAsync(wake.Token);
                var elapsed = Task.Delay(delay, Clock, wake.Token);
                var first = await Task.WhenAny(command, elapsed).ConfigureAwait(false);
                await wake.CancelAsync().ConfigureAwait(false);
                try
                {
                    await Task.WhenAll(command, elapsed).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The loser of the race was cancelled.
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (first == command)
                {
                    return true;
                }
            }
        }

        _recorder.Emit(RuntimeEventKinds.Tick, null, "expire");
        Locks.ExpireDue();
        return true;
    }

    private void RemoveFromReady(AgentRun run)
    {
        var rest = _ready.Where(r => r != run).ToList();
        _ready.Clear();
        foreach (var r in rest)
        {
            _ready.Enqueue(r);
        }
    }

    private void SetState(AgentRun run, AgentState state)
    {
        if (run.State == state)
        {
            return;
        }

        run.State = state;
        RunChanged(run);
        var name = state.ToString();
        _recorder.Emit(RuntimeEventKinds.AgentStateChanged, run.Id, name);
        _logger.AgentStateChanged(run.Id, name);
    }

#pragma warning disable CA1031 // An agent's exception is its failure, contained here, never the runtime's.
    private async Task RunBodyAsync(AgentRun run)
    {
        var context = new AgentContext(this, run, _recorder, _chatClient);
        var final = AgentState.Completed;
        try
        {
            await run.Body(context, run.Termination.Token).ConfigureAwait(false);
            _recorder.ThrowIfDiverged();
        }
        catch (OperationCanceledException) when (run.Termination.IsCancellationRequested)
        {
            final = AgentState.Terminated;
        }
        catch (ReplayDivergenceException)
        {
            final = AgentState.Terminated;
        }
        catch (Exception ex)
        {
            final = AgentState.Failed;
            run.FailureReason = ex.Message;
            _logger.AgentFailed(run.Id, ex.Message);
            if (Options.FailedAgentChanges == FailedAgentChangePolicy.RollBack && run.ChangeSet.Changes.Count > 0)
            {
                // Roll back while the leases are still held, so nobody sees the half-done edit.
                var outcome = _recorder.Result(RuntimeEventKinds.ChangeSetReverted, run.Id, "rollback", null,
                    () => Tools.RevertChangeSet(run.ChangeSet).ToString());
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.ChangeSetReverted(run.Id, outcome ?? string.Empty);
                }
            }
        }
        finally
        {
            Locks.ReleaseAll(run.Id);
            SetState(run, final);
            SaveRuns();
            run.TurnEnded.TrySetResult();
        }
    }
#pragma warning restore CA1031

    private sealed class ReplayClock(EventRecorder recorder) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => recorder.PeekTime();
    }
}
