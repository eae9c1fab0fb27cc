using System.Diagnostics;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Agents.Runtime.Orchestration.Tasks;

namespace SchedCP.Agents.Runtime.Orchestration.Simulation;

/// <summary>
/// Drives an orchestrator through a whole DAG in simulated time: placed tasks start at their claim's start time
/// and finish after their (optionally perturbed) duration; spot instances may be reclaimed at a seeded rate. Ticks
/// happen after every batch of events and every <see cref="OrchestratorOptions.TickInterval"/>. For what-if
/// planning, tests and benchmarks; nothing real runs.
/// </summary>
public sealed class DagSimulation
{
    private readonly DagOrchestrator _orchestrator;
    private readonly SimulationClock _clock;
    private readonly SimulationSettings _settings;
    private readonly Random _random;
    private readonly PriorityQueue<Pending, (DateTimeOffset, long)> _events = new();
    private long _sequence;

    /// <summary>Creates a simulation; the orchestrator must use <paramref name="clock"/> and have its DAG submitted.</summary>
    /// <param name="orchestrator">The orchestrator.</param>
    /// <param name="clock">Its clock.</param>
    /// <param name="settings">Noise, interruptions, seed.</param>
    public DagSimulation(DagOrchestrator orchestrator, SimulationClock clock, SimulationSettings? settings = null)
    {
        _orchestrator = orchestrator;
        _clock = clock;
        _settings = settings ?? new SimulationSettings();
        _random = new Random(_settings.Seed);
    }

    /// <summary>Runs until every task is final, or nothing more can happen.</summary>
    /// <param name="onTick">Optional observer of each tick.</param>
    /// <returns>The result.</returns>
    public SimulationResult Run(Action<TickReport>? onTick = null)
    {
        var start = _clock.GetUtcNow();
        var last = start;
        var latencies = new List<double>();
        var interruptions = 0;
        var stuck = false;
        while (true)
        {
            var before = Stopwatch.GetTimestamp();
            var report = _orchestrator.Tick();
            if (_settings.MeasureTickLatency)
            {
                latencies.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
            }

            onTick?.Invoke(report);
            foreach (var (taskId, claim) in report.Placements)
            {
                Push(claim.StartAt, new Pending(PendingKind.Start, taskId, claim));
            }

            if (_orchestrator.IsFinished)
            {
                break;
            }

            var active = _orchestrator.Tasks.Any(t => t.State is TaskState.Scheduled or TaskState.Running or TaskState.Retrying);
            if (_events.Count == 0 && !active)
            {
                stuck = true; // eligible tasks that no pool will take at any time (e.g. over budget)
                break;
            }

            var next = _clock.GetUtcNow() + _orchestrator.Options.TickInterval;
            if (_events.TryPeek(out _, out var at) && at.Item1 < next)
            {
                next = at.Item1;
            }

            _clock.AdvanceTo(next);
            while (_events.TryPeek(out var pending, out at) && at.Item1 <= next)
            {
                _events.Dequeue();
                interruptions += Apply(pending, ref last);
            }
        }

        var completed = _orchestrator.Tasks.Count(t => t.History.Any(h => h.To == TaskState.Completed));
        return new SimulationResult(last - start, _orchestrator.Budget.Spent, _orchestrator.TickCount, interruptions, completed,
            _orchestrator.Tasks.Count - completed, stuck, latencies);
    }

    private int Apply(Pending pending, ref DateTimeOffset last)
    {
        var run = _orchestrator.GetTask(pending.TaskId)!;
        if (!ReferenceEquals(run.Placement, pending.Claim))
        {
            return 0; // the placement was lost meanwhile (interrupted)
        }

        var now = _clock.GetUtcNow();
        switch (pending.Kind)
        {
            case PendingKind.Start when run.State == TaskState.Scheduled:
                _orchestrator.MarkStarted(pending.TaskId).GetValueOrThrow();
                var factor = 1 + (_settings.DurationNoise * ((2 * _random.NextDouble()) - 1));
                var duration = pending.Claim.Duration * Math.Max(0.05, factor);
                Push(now + duration, pending with { Kind = PendingKind.Finish });
                if (pending.Claim.Pricing == Pricing.Spot && _settings.SpotInterruptionsPerHour > 0
                    && _random.NextDouble() < 1 - Math.Exp(-_settings.SpotInterruptionsPerHour * duration.TotalHours))
                {
                    Push(now + (duration * _random.NextDouble()), pending with { Kind = PendingKind.Interrupt });
                }

                return 0;
            case PendingKind.Finish when run.State == TaskState.Running:
                _orchestrator.MarkCompleted(pending.TaskId).GetValueOrThrow();
                last = now;
                return 0;
            case PendingKind.Interrupt when run.State is TaskState.Running or TaskState.Scheduled:
                return _orchestrator.ReportInterruption(pending.Claim.PoolId, pending.Claim.InstanceId).Succeeded ? 1 : 0;
            default:
                return 0;
        }
    }

    private void Push(DateTimeOffset at, Pending pending) => _events.Enqueue(pending, (at, _sequence++));

    private enum PendingKind
    {
        Start,
        Finish,
        Interrupt,
    }

    private sealed record Pending(PendingKind Kind, string TaskId, ResourceClaim Claim);
}
