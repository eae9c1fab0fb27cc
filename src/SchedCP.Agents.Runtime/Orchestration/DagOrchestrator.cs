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
using SchedCP.Core.Results;

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
public sealed partial class DagOrchestrator : IDisposable
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
    public Outcome<TaskDag, RuntimeError> Submit(TaskDag dag)
    {
        ArgumentNullException.ThrowIfNull(dag);
        lock (_gate)
        {
            if (_dag is not null)
            {
                return new RuntimeError(RuntimeErrorCode.InvalidState, $"DAG '{_dag.Id}' was already submitted: create one orchestrator per DAG.");
            }

            var unplaceable = dag.Tasks.Where(t => t.Estimates.All(e => _poolsByKind[(int)e.Kind].Length == 0)).Take(5).ToList();
            if (unplaceable.Count > 0)
            {
                return new RuntimeError(RuntimeErrorCode.InvalidInput,
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
            return dag;
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
}
