using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Agents.Runtime.Orchestration.Budget;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Decisions;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Agents.Runtime.Orchestration.Scoring;
using SchedCP.Agents.Runtime.Orchestration.Tasks;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>
/// Places the tasks of one DAG on heterogeneous resource pools under a budget. Each <see cref="Tick"/> orders the
/// eligible tasks by critical-path priority (HEFT upward rank, then <see cref="TaskSpec.Priority"/>), asks every
/// pool of a kind the task can use for offers, scores each (task, offer) pair with the weighted scorers, drops
/// offers the budget or the spot policy forbids, and reserves the best; each choice is kept as a
/// <see cref="PlacementDecision"/>. Executors report starts, completions, failures and interruptions, which drive
/// the next tick. Inputs and decisions go to the <see cref="OrchestrationJournal"/>, so a run replays exactly.
/// Calls are serialised by a lock; the pools are only touched under it.
/// </summary>
public sealed class DagOrchestrator : IDisposable
{
    private static readonly CandidateScore[] NoCandidates = [];
    private readonly Lock _gate = new();
    private readonly OrchestratorOptions _options;
    private readonly TimeProvider _clock;
    private readonly OrchestrationJournal _journal;
    private readonly ILogger _logger;
    private readonly IResourcePool[] _pools;
    private readonly IResourcePool[][] _poolsByKind;
    private readonly string[] _scorerNames;
    private readonly string[] _poolIds;
    private readonly int[][] _poolIndexByKind;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly List<int> _eligible = [];
    private readonly List<int> _retrying = [];
    private readonly List<(int Pool, ResourceOffer Offer)> _offers = [];
    private readonly HashSet<(ResourceKind, ResourceRequirements, string?)> _exhausted = [];
    private TaskDag? _dag;
    private TaskRun[] _runs = [];
    private int[] _waitingOn = [];
    private string?[] _lastWait = [];
    private string?[] _noCapacity = [];
    private long _tick;
    private int _terminal;
    private bool _finished;
    private IReadOnlyList<PlacementDecision> _lastDecisions = [];

    /// <summary>Creates an orchestrator over <paramref name="pools"/>.</summary>
    /// <param name="pools">The resource pools (ids unique).</param>
    /// <param name="options">Options; validated here (the exception names a bad field).</param>
    /// <param name="timeProvider">The clock; default the system clock.</param>
    /// <param name="journal">Where inputs and decisions are recorded; default <see cref="OrchestrationJournal.None"/>.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    public DagOrchestrator(IEnumerable<IResourcePool> pools, OrchestratorOptions? options = null, TimeProvider? timeProvider = null,
        OrchestrationJournal? journal = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(pools);
        _options = options ?? new OrchestratorOptions();
        _options.Validate();
        _clock = timeProvider ?? TimeProvider.System;
        _journal = journal ?? OrchestrationJournal.None;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DagOrchestrator>();
        _pools = [.. pools];
        var duplicate = _pools.GroupBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"pool id '{duplicate.Key}' is used twice: give every pool a unique id", nameof(pools));
        }

        _poolsByKind = [.. Enum.GetValues<ResourceKind>().Select(k => _pools.Where(p => p.Kind == k).ToArray())];
        _poolIndexByKind = [.. _poolsByKind.Select(byKind => byKind.Select(p => Array.IndexOf(_pools, p)).ToArray())];
        _poolIds = [.. _pools.Select(p => p.Id)];
        _scorerNames = [.. _options.Scoring.Scorers.Select(s => s.Scorer.Name)];
        Budget = new BudgetLedger(_options.Budget, _options.PerTaskBudget);
    }

    /// <summary>The submitted DAG, or null before <see cref="Submit"/>.</summary>
    public TaskDag? Dag => _dag;

    /// <summary>The pools.</summary>
    public IReadOnlyList<IResourcePool> Pools => _pools;

    /// <summary>Spend per pool and per task against the budget.</summary>
    public BudgetLedger Budget { get; }

    /// <summary>The options.</summary>
    public OrchestratorOptions Options => _options;

    /// <summary>Every task's live state, in DAG order.</summary>
    public IReadOnlyList<TaskRun> Tasks => _runs;

    /// <summary>Whether every task is final (completed, archived, failed or cancelled).</summary>
    public bool IsFinished => _dag is not null && _terminal == _runs.Length;

    /// <summary>The decisions of the latest tick.</summary>
    public IReadOnlyList<PlacementDecision> LastDecisions => _lastDecisions;

    /// <summary>Ticks so far.</summary>
    public long TickCount => _tick;

    /// <summary>Submits the DAG this orchestrator will run; entry tasks become eligible.</summary>
    /// <param name="dag">A validated DAG.</param>
    /// <returns>The DAG; <see cref="RuntimeErrorCode.InvalidState"/> when one was already submitted; <see cref="RuntimeErrorCode.InvalidInput"/> when a task can run on no registered pool.</returns>
    public Outcome<TaskDag> Submit(TaskDag dag)
    {
        ArgumentNullException.ThrowIfNull(dag);
        lock (_gate)
        {
            if (_dag is not null)
            {
                return Outcome.Failure<TaskDag>(RuntimeErrorCode.InvalidState, $"DAG '{_dag.Id}' was already submitted: create one orchestrator per DAG.");
            }

            var unplaceable = dag.Tasks.Where(t => t.Estimates.All(e => _poolsByKind[(int)e.Kind].Length == 0)).Take(5).ToList();
            if (unplaceable.Count > 0)
            {
                return Outcome.Failure<TaskDag>(RuntimeErrorCode.InvalidInput,
                    "no registered pool can run " + string.Join(", ", unplaceable.Select(t => $"'{t.Id}' (runs on {string.Join("/", t.Estimates.Select(e => e.Kind))})"))
                    + ": register a pool of one of those kinds or add an estimate for a kind that has a pool.");
            }

            _journal.Record(OrchestrationEventKinds.Submitted, dag.Id, _journal.IsRecording ? TaskDagJson.Write(dag) : null);
            var now = _journal.Now(_clock, "orchestration.submit", dag.Id);
            _dag = dag;
            _runs = [.. dag.Tasks.Select(t => new TaskRun(t.Id))];
            _waitingOn = [.. dag.Predecessors.Select(p => p.Length)];
            _lastWait = new string?[dag.Count];
            _noCapacity = new string?[dag.Count];
            foreach (var i in dag.TopologicalOrder)
            {
                if (_waitingOn[i] == 0)
                {
                    Move(i, TaskState.Eligible, now, "no dependencies");
                    _eligible.Add(i);
                }
            }

            _logger.DagSubmitted(dag.Id, dag.Count, dag.CriticalPathSeconds);
            return Outcome.Success(dag);
        }
    }

    /// <summary>One scheduling pass: retries whose backoff ended become eligible, then eligible tasks are placed in priority order.</summary>
    /// <returns>The placements and decisions; empty before <see cref="Submit"/>.</returns>
    public TickReport Tick()
    {
        lock (_gate)
        {
            var dag = _dag;
            var now = _journal.Now(_clock, OrchestrationEventKinds.TickSubject, dag?.Id);
            _tick++;
            if (dag is null)
            {
                return new TickReport(_tick, now, [], []);
            }

            for (var k = _retrying.Count - 1; k >= 0; k--)
            {
                var i = _retrying[k];
                if (_runs[i].RetryAt <= now)
                {
                    _retrying.RemoveAt(k);
                    Move(i, TaskState.Eligible, now, "retry backoff ended");
                    _eligible.Add(i);
                }
            }

            _eligible.Sort((a, b) => ComparePriority(dag, a, b));
            _exhausted.Clear();
            var placements = new List<(string, ResourceClaim)>();
            var decisions = new List<PlacementDecision>(_eligible.Count);
            var waiting = new List<int>(_eligible.Count);
            foreach (var i in _eligible)
            {
                var decision = Decide(dag, i, now);
                decisions.Add(decision);
                if (decision.Placed)
                {
                    placements.Add((dag.Tasks[i].Id, _runs[i].Placement!));
                }
                else
                {
                    waiting.Add(i);
                }
            }

            _eligible.Clear();
            _eligible.AddRange(waiting);
            _lastDecisions = decisions;
            return new TickReport(_tick, now, placements, decisions);
        }
    }

    /// <summary>A scheduled task started running.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>The transition, or why it was refused.</returns>
    public Outcome<TaskTransition> MarkStarted(string taskId)
    {
        lock (_gate)
        {
            var found = Find(taskId, TaskState.Scheduled);
            if (!found.IsSuccess)
            {
                return Outcome.Failure<TaskTransition>(found.Error);
            }

            _journal.Record(OrchestrationEventKinds.Started, taskId);
            var now = _journal.Now(_clock, "orchestration.time", taskId);
            return Outcome.Success(Move(found.Value, TaskState.Running, now, "started on " + _runs[found.Value].Placement!.InstanceId));
        }
    }

    /// <summary>A running task completed: its capacity is released, its cost settled, its successors may become eligible, and a tick is requested.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="actualCost">What it really cost; default its estimate.</param>
    /// <returns>The transition, or why it was refused.</returns>
    public Outcome<TaskTransition> MarkCompleted(string taskId, decimal? actualCost = null)
    {
        lock (_gate)
        {
            var found = Find(taskId, TaskState.Running);
            if (!found.IsSuccess)
            {
                return Outcome.Failure<TaskTransition>(found.Error);
            }

            var i = found.Value;
            var dag = _dag!;
            _journal.Record(OrchestrationEventKinds.Completed, taskId, actualCost?.ToString(CultureInfo.InvariantCulture));
            var now = _journal.Now(_clock, "orchestration.time", taskId);
            var claim = _runs[i].Placement!;
            ReleaseClaim(i, now);
            Budget.Settle(taskId, claim.PoolId, actualCost ?? claim.Cost);
            var transition = Move(i, TaskState.Completed, now, "completed on " + claim.InstanceId);
            foreach (var s in dag.Successors[i])
            {
                if (--_waitingOn[s] == 0 && _runs[s].State == TaskState.Queued)
                {
                    Move(s, TaskState.Eligible, now, "dependencies completed");
                    _eligible.Add(s);
                }
            }

            foreach (var p in dag.Predecessors[i])
            {
                if (_runs[p].State == TaskState.Completed && dag.Successors[p].All(s => _runs[s].State is TaskState.Completed or TaskState.Archived))
                {
                    Move(p, TaskState.Archived, now, "every dependent task completed");
                }
            }

            FinishIfDone(now);
            _signal.Release();
            return Outcome.Success(transition);
        }
    }

    /// <summary>A running task failed: it retries after its backoff while attempts remain, otherwise fails for good and its dependents are cancelled.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="reason">What went wrong.</param>
    /// <returns>The transition (to Retrying or Failed), or why it was refused.</returns>
    public Outcome<TaskTransition> MarkFailed(string taskId, string reason)
    {
        lock (_gate)
        {
            var found = Find(taskId, TaskState.Running);
            if (!found.IsSuccess)
            {
                return Outcome.Failure<TaskTransition>(found.Error);
            }

            var i = found.Value;
            _journal.Record(OrchestrationEventKinds.Failed, taskId, reason);
            var now = _journal.Now(_clock, "orchestration.time", taskId);
            var claim = _runs[i].Placement!;
            ReleaseClaim(i, now);
            Budget.Settle(taskId, claim.PoolId, claim.Cost);
            var transition = RetryOrFail(i, now, "failed: " + reason, consumesAttempt: true);
            _signal.Release();
            return Outcome.Success(transition);
        }
    }

    /// <summary>
    /// Cancels a task that has not ended: a placement it held is released (a running task's claimed cost is settled,
    /// since the resource was used), and its dependents that have not started are cancelled with it.
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <param name="reason">Why, for the record.</param>
    /// <returns>The transition, or why it was refused (unknown task, or one that already ended).</returns>
    public Outcome<TaskTransition> Cancel(string taskId, string reason)
    {
        lock (_gate)
        {
            if (_dag is null || !_dag.TryGetIndex(taskId, out var i))
            {
                return Outcome.Failure<TaskTransition>(RuntimeErrorCode.NotFound, $"task '{taskId}' is not part of the submitted DAG: check the id.");
            }

            var state = _runs[i].State;
            if (TaskStateMachine.IsTerminal(state))
            {
                return Outcome.Failure<TaskTransition>(RuntimeErrorCode.InvalidState, $"task '{taskId}' already ended ({state}); nothing to cancel.");
            }

            _journal.Record(OrchestrationEventKinds.Cancelled, taskId, reason);
            var now = _journal.Now(_clock, "orchestration.time", taskId);
            if (_runs[i].Placement is { } claim)
            {
                ReleaseClaim(i, now);
                Budget.Settle(taskId, claim.PoolId, state == TaskState.Running ? claim.Cost : 0m);
            }

            _eligible.Remove(i);
            _retrying.Remove(i);
            var transition = Move(i, TaskState.Cancelled, now, "cancelled: " + reason);
            CancelDependents(i, now);
            FinishIfDone(now);
            _signal.Release();
            return Outcome.Success(transition);
        }
    }

    /// <summary>
    /// An instance was lost (a spot reclaim): every task on it is rescheduled within its retry budget; a task on the
    /// critical path (or urgent) is marked to avoid spot from now on, so it falls back to on-demand capacity.
    /// </summary>
    /// <param name="poolId">The pool.</param>
    /// <param name="instanceId">The instance.</param>
    /// <returns>The ids of the affected tasks, or <see cref="RuntimeErrorCode.NotFound"/> for an unknown pool or instance.</returns>
    public Outcome<IReadOnlyList<string>> ReportInterruption(string poolId, string instanceId)
    {
        lock (_gate)
        {
            if (Array.Find(_pools, p => p.Id == poolId) is not IInterruptiblePool pool)
            {
                return Outcome.Failure<IReadOnlyList<string>>(RuntimeErrorCode.NotFound, $"pool '{poolId}' is not a registered interruptible pool: report interruptions of cloud pools by their id.");
            }

            if (!pool.Interrupt(instanceId))
            {
                return Outcome.Failure<IReadOnlyList<string>>(RuntimeErrorCode.NotFound, $"pool '{poolId}' has no live instance '{instanceId}': it was already released or interrupted.");
            }

            _journal.Record(OrchestrationEventKinds.Interrupted, poolId + " " + instanceId);
            var now = _journal.Now(_clock, "orchestration.time", instanceId);
            var affected = new List<string>();
            for (var i = 0; i < _runs.Length; i++)
            {
                var run = _runs[i];
                if (run.State is not (TaskState.Scheduled or TaskState.Running) || run.Placement is not { } claim
                    || claim.PoolId != poolId || claim.InstanceId != instanceId)
                {
                    continue;
                }

                affected.Add(run.TaskId);
                var ran = run.State == TaskState.Running && now > claim.StartAt ? Math.Min(1.0, (now - claim.StartAt) / claim.Duration) : 0.0;
                Budget.Settle(run.TaskId, poolId, Math.Round(claim.Cost * (decimal)ran, 6));
                run.Placement = null;
                var critical = _dag!.IsCritical(i) || Urgency(_dag, i, now) > _options.SpotUrgencyThreshold;
                if (critical && claim.Pricing == Pricing.Spot)
                {
                    run.AvoidSpot = true;
                }

                RetryOrFail(i, now, $"{claim.Pricing} instance {instanceId} interrupted" + (run.AvoidSpot ? "; on the critical path, so the retry uses on-demand capacity" : string.Empty),
                    consumesAttempt: run.State == TaskState.Running);
            }

            _logger.Interrupted(poolId, instanceId, affected.Count);
            _signal.Release();
            return Outcome.Success<IReadOnlyList<string>>(affected);
        }
    }

    /// <summary>The state of one task.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>The run, or null for an unknown id.</returns>
    public TaskRun? GetTask(string taskId)
    {
        lock (_gate)
        {
            return _dag is not null && _dag.TryGetIndex(taskId, out var i) ? _runs[i] : null;
        }
    }

    /// <summary>Spend so far plus the cheapest estimate of what is not placed yet, against the budget.</summary>
    /// <returns>The projection.</returns>
    public BudgetProjection ProjectBudget()
    {
        lock (_gate)
        {
            var remaining = 0m;
            if (_dag is not null)
            {
                for (var i = 0; i < _runs.Length; i++)
                {
                    if (_runs[i].State is TaskState.Queued or TaskState.Eligible or TaskState.Retrying)
                    {
                        remaining += _dag.Tasks[i].Estimates.Min(e => e.Cost);
                    }
                }
            }

            return Budget.Project(remaining);
        }
    }

    /// <summary>Every pool's availability and price now.</summary>
    /// <returns>The reports.</returns>
    public IReadOnlyList<ResourceAvailability> Availability()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            return [.. _pools.Select(p => p.Availability(now))];
        }
    }

    /// <summary>
    /// Ticks every <see cref="OrchestratorOptions.TickInterval"/>, and at once after a completion, failure or
    /// interruption, until the DAG is finished; <paramref name="onTick"/> starts the placed tasks.
    /// </summary>
    /// <param name="onTick">Receives each tick's report.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>Completes when the DAG is finished or the loop is cancelled.</returns>
    public async Task RunAsync(Func<TickReport, CancellationToken, ValueTask> onTick, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onTick);
        while (!cancellationToken.IsCancellationRequested && !IsFinished)
        {
            await onTick(Tick(), cancellationToken).ConfigureAwait(false);
            if (IsFinished)
            {
                break;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(_options.TickInterval, _clock, wake.Token);
            var signalled = _signal.WaitAsync(wake.Token);
            await Task.WhenAny(delay, signalled).ConfigureAwait(false);
            await wake.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();

    private static int ComparePriority(TaskDag dag, int a, int b)
    {
        var byRank = dag.UpwardRank[b].CompareTo(dag.UpwardRank[a]);
        if (byRank != 0)
        {
            return byRank;
        }

        var byPriority = dag.Tasks[b].Priority.CompareTo(dag.Tasks[a].Priority);
        return byPriority != 0 ? byPriority : a.CompareTo(b);
    }

    // Share of the critical path still ahead of the task, or of the time left to its deadline, whichever is larger.
    private static double Urgency(TaskDag dag, int i, DateTimeOffset now)
    {
        var urgency = dag.CriticalPathSeconds <= 0 ? 1 : dag.UpwardRank[i] / dag.CriticalPathSeconds;
        if (dag.Tasks[i].Deadline is { } deadline)
        {
            var left = (deadline - now).TotalSeconds;
            urgency = Math.Max(urgency, left <= 0 ? 1 : Math.Min(1, dag.UpwardRank[i] / left));
        }

        return urgency;
    }

    private PlacementDecision Decide(TaskDag dag, int i, DateTimeOffset now)
    {
        var spec = dag.Tasks[i];
        var run = _runs[i];
        Span<ResourceOffer> buffer = stackalloc ResourceOffer[2];
        _offers.Clear();
        foreach (var estimate in spec.Estimates)
        {
            var key = (estimate.Kind, spec.Requirements, spec.BatchKey);
            if (_exhausted.Contains(key))
            {
                continue;
            }

            var before = _offers.Count;
            var pools = _poolsByKind[(int)estimate.Kind];
            var indices = _poolIndexByKind[(int)estimate.Kind];
            for (var p = 0; p < pools.Length; p++)
            {
                var n = pools[p].Quote(spec, estimate, now, buffer);
                for (var k = 0; k < n; k++)
                {
                    _offers.Add((indices[p], buffer[k]));
                }
            }

            if (_offers.Count == before)
            {
                _exhausted.Add(key); // capacity only shrinks within a tick
            }
        }

        if (_offers.Count == 0)
        {
            var full = _noCapacity[i] ??= "no capacity: every pool of kind " + string.Join("/", spec.Estimates.Select(e => e.Kind)) + " is full";
            return Wait(i, now, NoCandidates, full);
        }

        // Score every offer into flat arrays; the candidate records and the reason text are built only when read.
        var range = Range();
        var urgency = Urgency(dag, i, now);
        var avoidSpot = run.AvoidSpot || urgency > _options.SpotUrgencyThreshold;
        var scorers = _options.Scoring.Scorers;
        var scorerCount = scorers.Count;
        var entries = new DecisionDetails.Entry[_offers.Count];
        var scores = new double[_offers.Count * scorerCount];
        string? spotAvoided = null;
        int best = -1, bestAdmissible = -1;
        for (var c = 0; c < entries.Length; c++)
        {
            var (p, offer) = _offers[c];
            var candidate = new PlacementCandidate(spec, _poolIds[p], offer);
            var total = 0.0;
            var row = c * scorerCount;
            for (var s = 0; s < scorerCount; s++)
            {
                var score = scorers[s].Scorer.Score(candidate, range);
                scores[row + s] = score;
                total += scorers[s].Weight * score;
            }

            string? excluded = null;
            if (offer.Pricing == Pricing.Spot && avoidSpot)
            {
                excluded = spotAvoided ??= run.AvoidSpot
                    ? "spot avoided: an earlier attempt was interrupted on the critical path"
                    : string.Create(CultureInfo.InvariantCulture, $"spot avoided: urgency {urgency:0.00} > {_options.SpotUrgencyThreshold:0.00}");
            }

            excluded ??= Budget.Admit(spec.Id, offer.Cost);
            ref var entry = ref entries[c];
            entry.Pool = p;
            entry.Offer = offer;
            entry.Total = total;
            entry.Excluded = excluded;
            if (best < 0 || DecisionDetails.Better(total, offer.Cost, entries[best].Total, entries[best].Offer.Cost))
            {
                best = c;
            }

            if (excluded is null && (bestAdmissible < 0 || DecisionDetails.Better(total, offer.Cost, entries[bestAdmissible].Total, entries[bestAdmissible].Offer.Cost)))
            {
                bestAdmissible = c;
            }
        }

        if (bestAdmissible < 0)
        {
            var excludedAll = new DecisionDetails(_poolIds, entries, scores, scorerCount, -1, best, spec, _scorerNames, avoidSpot, urgency, "every offer was excluded: ");
            return Wait(i, now, excludedAll.Candidates, excludedAll.Reason);
        }

        ref readonly var won = ref entries[bestAdmissible];
        var claim = _pools[won.Pool].Reserve(spec, won.Offer, now);
        run.Placement = claim;
        Budget.Commit(spec.Id, claim.Cost);
        _lastWait[i] = null;
        var details = new DecisionDetails(_poolIds, entries, scores, scorerCount, bestAdmissible, best, spec, _scorerNames, avoidSpot, urgency, null);
        Move(i, TaskState.Scheduled, now, "placed on " + claim.InstanceId);
        var decision = new PlacementDecision(spec.Id, _tick, now, true, _scorerNames, details);
        if (_journal.IsRecording)
        {
            _journal.Record(OrchestrationEventKinds.Decision, spec.Id, null, string.Create(CultureInfo.InvariantCulture,
                $"placed {claim.InstanceId} {claim.Pricing} cost={claim.Cost:0.######} score={won.Total:0.###}: {details.Reason}"));
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.TaskPlaced(spec.Id, claim.PoolId, claim.Pricing.ToString(), details.Reason);
        }

        return decision;
    }

    private CandidateRange Range()
    {
        double minF = double.MaxValue, maxF = double.MinValue;
        decimal minC = decimal.MaxValue, maxC = decimal.MinValue;
        foreach (var (_, offer) in _offers)
        {
            var f = offer.FinishAfter.TotalSeconds;
            minF = Math.Min(minF, f);
            maxF = Math.Max(maxF, f);
            minC = Math.Min(minC, offer.Cost);
            maxC = Math.Max(maxC, offer.Cost);
        }

        return new CandidateRange(minF, maxF, minC, maxC);
    }

    private PlacementDecision Wait(int i, DateTimeOffset now, IReadOnlyList<CandidateScore> candidates, string reason)
    {
        var id = _dag!.Tasks[i].Id;
        if (!string.Equals(_lastWait[i], reason, StringComparison.Ordinal))
        {
            _lastWait[i] = reason;
            _journal.Record(OrchestrationEventKinds.Decision, id, null, "waits: " + reason);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.TaskWaits(id, reason);
            }
        }

        return new PlacementDecision(id, _tick, now, false, null, candidates, _scorerNames, reason);
    }

    private Outcome<int> Find(string taskId, TaskState expected)
    {
        if (_dag is null || !_dag.TryGetIndex(taskId, out var i))
        {
            return Outcome.Failure<int>(RuntimeErrorCode.NotFound, $"task '{taskId}' is not part of the submitted DAG: check the id.");
        }

        return _runs[i].State == expected
            ? Outcome.Success(i)
            : Outcome.Failure<int>(RuntimeErrorCode.InvalidState, $"task '{taskId}' is {_runs[i].State}, not {expected}: report only what happened to a task in that state.");
    }

    private void ReleaseClaim(int i, DateTimeOffset now)
    {
        var claim = _runs[i].Placement!;
        Array.Find(_pools, p => p.Id == claim.PoolId)!.Release(claim, _dag!.Tasks[i], now);
        _runs[i].Placement = null;
    }

    private TaskTransition RetryOrFail(int i, DateTimeOffset now, string reason, bool consumesAttempt)
    {
        var run = _runs[i];
        var spec = _dag!.Tasks[i];
        if (consumesAttempt && run.Attempts >= spec.Retry.MaxAttempts)
        {
            var failed = Move(i, TaskState.Failed, now, reason + $"; no attempts left of {spec.Retry.MaxAttempts.ToString(CultureInfo.InvariantCulture)}");
            _logger.TaskFailed(spec.Id, reason);
            CancelDependents(i, now);
            FinishIfDone(now);
            return failed;
        }

        run.RetryAt = now + spec.Retry.Backoff;
        _retrying.Add(i);
        return Move(i, TaskState.Retrying, now, reason);
    }

    private void CancelDependents(int failed, DateTimeOffset now)
    {
        var pending = new Stack<int>(_dag!.Successors[failed]);
        while (pending.TryPop(out var s))
        {
            if (_runs[s].State == TaskState.Queued)
            {
                Move(s, TaskState.Cancelled, now, $"dependency '{_dag.Tasks[failed].Id}' {(_runs[failed].State == TaskState.Cancelled ? "was cancelled" : "failed")}");
                foreach (var next in _dag.Successors[s])
                {
                    pending.Push(next);
                }
            }
        }
    }

    private void FinishIfDone(DateTimeOffset now)
    {
        if (_terminal != _runs.Length || _finished)
        {
            return;
        }

        _finished = true;

        int completed = 0, failed = 0, cancelled = 0;
        for (var i = 0; i < _runs.Length; i++)
        {
            var state = _runs[i].State;
            completed += state is TaskState.Completed or TaskState.Archived ? 1 : 0;
            failed += state == TaskState.Failed ? 1 : 0;
            cancelled += state == TaskState.Cancelled ? 1 : 0;
            if (state != TaskState.Archived)
            {
                Move(i, TaskState.Archived, now, "the DAG finished");
            }
        }

        _logger.DagFinished(_dag!.Id, completed, failed, cancelled, Budget.Spent);
    }

    private TaskTransition Move(int i, TaskState to, DateTimeOffset now, string reason)
    {
        var run = _runs[i];
        var from = run.State;
        // Illegal moves here are bugs in the orchestrator, not expected failures.
        var transition = TaskStateMachine.Move(run, to, now, reason).GetValueOrThrow();
        var wasTerminal = TaskStateMachine.IsTerminal(from);
        var isTerminal = TaskStateMachine.IsTerminal(to);
        _terminal += (isTerminal ? 1 : 0) - (wasTerminal ? 1 : 0);
        if (_journal.IsRecording)
        {
            _journal.Record(OrchestrationEventKinds.Transition, run.TaskId, from + "->" + to, reason);
        }

        return transition;
    }
}
