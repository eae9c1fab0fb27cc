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

/// <summary>What executors report (start, completion, failure, cancellation, interruption) and the state changes it drives.</summary>
public sealed partial class DagOrchestrator
{
    /// <summary>A scheduled task started running.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>The transition, or why it was refused.</returns>
    public Outcome<TaskTransition, RuntimeError> MarkStarted(string taskId)
    {
        lock (_gate)
        {
            var found = Find(taskId, TaskState.Scheduled);
            if (!found.Succeeded)
            {
                return found.Failure;
            }

            _journal.Record(OrchestrationEventKinds.Started, taskId);
            var now = _journal.Now(_clock, "orchestration.time", taskId);
            return Move(found.Value, TaskState.Running, now, "started on " + _runs[found.Value].Placement!.InstanceId);
        }
    }

    /// <summary>A running task completed: its capacity is released, its cost settled, its successors may become eligible, and a tick is requested.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="actualCost">What it really cost; default its estimate.</param>
    /// <returns>The transition, or why it was refused.</returns>
    public Outcome<TaskTransition, RuntimeError> MarkCompleted(string taskId, decimal? actualCost = null)
    {
        lock (_gate)
        {
            var found = Find(taskId, TaskState.Running);
            if (!found.Succeeded)
            {
                return found.Failure;
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
            return transition;
        }
    }

    /// <summary>A running task failed: it retries after its backoff while attempts remain, otherwise fails for good and its dependents are cancelled.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="reason">What went wrong.</param>
    /// <returns>The transition (to Retrying or Failed), or why it was refused.</returns>
    public Outcome<TaskTransition, RuntimeError> MarkFailed(string taskId, string reason)
    {
        lock (_gate)
        {
            var found = Find(taskId, TaskState.Running);
            if (!found.Succeeded)
            {
                return found.Failure;
            }

            var i = found.Value;
            _journal.Record(OrchestrationEventKinds.Failed, taskId, reason);
            var now = _journal.Now(_clock, "orchestration.time", taskId);
            var claim = _runs[i].Placement!;
            ReleaseClaim(i, now);
            Budget.Settle(taskId, claim.PoolId, claim.Cost);
            var transition = RetryOrFail(i, now, "failed: " + reason, consumesAttempt: true);
            _signal.Release();
            return transition;
        }
    }

    /// <summary>
    /// Cancels a task that has not ended: a placement it held is released (a running task's claimed cost is settled,
    /// since the resource was used), and its dependents that have not started are cancelled with it.
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <param name="reason">Why, for the record.</param>
    /// <returns>The transition, or why it was refused (unknown task, or one that already ended).</returns>
    public Outcome<TaskTransition, RuntimeError> Cancel(string taskId, string reason)
    {
        lock (_gate)
        {
            if (_dag is null || !_dag.TryGetIndex(taskId, out var i))
            {
                return new RuntimeError(RuntimeErrorCode.NotFound, $"task '{taskId}' is not part of the submitted DAG: check the id.");
            }

            var state = _runs[i].State;
            if (TaskStateMachine.IsTerminal(state))
            {
                return new RuntimeError(RuntimeErrorCode.InvalidState, $"task '{taskId}' already ended ({state}); nothing to cancel.");
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
            return transition;
        }
    }

    /// <summary>
    /// An instance was lost (a spot reclaim): every task on it is rescheduled within its retry budget; a task on the
    /// critical path (or urgent) is marked to avoid spot from now on, so it falls back to on-demand capacity.
    /// </summary>
    /// <param name="poolId">The pool.</param>
    /// <param name="instanceId">The instance.</param>
    /// <returns>The ids of the affected tasks, or <see cref="RuntimeErrorCode.NotFound"/> for an unknown pool or instance.</returns>
    public Outcome<IReadOnlyList<string>, RuntimeError> ReportInterruption(string poolId, string instanceId)
    {
        lock (_gate)
        {
            if (Array.Find(_pools, p => p.Id == poolId) is not IInterruptiblePool pool)
            {
                return new RuntimeError(RuntimeErrorCode.NotFound, $"pool '{poolId}' is not a registered interruptible pool: report interruptions of cloud pools by their id.");
            }

            if (!pool.Interrupt(instanceId))
            {
                return new RuntimeError(RuntimeErrorCode.NotFound, $"pool '{poolId}' has no live instance '{instanceId}': it was already released or interrupted.");
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
            return affected;
        }
    }

    private Outcome<int, RuntimeError> Find(string taskId, TaskState expected)
    {
        if (_dag is null || !_dag.TryGetIndex(taskId, out var i))
        {
            return new RuntimeError(RuntimeErrorCode.NotFound, $"task '{taskId}' is not part of the submitted DAG: check the id.");
        }

        return _runs[i].State == expected
            ? i
            : new RuntimeError(RuntimeErrorCode.InvalidState, $"task '{taskId}' is {_runs[i].State}, not {expected}: report only what happened to a task in that state.");
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
