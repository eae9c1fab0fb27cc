using System.Globalization;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Reads the scheduling counters of one task from <c>/proc/&lt;id&gt;/schedstat</c>, <c>/proc/&lt;id&gt;/sched</c> and, as a
/// fallback for context switches, <c>/proc/&lt;id&gt;/status</c>. The id may be a process id (its main thread) or any
/// thread id: procfs resolves <c>/proc/&lt;tid&gt;</c> for every thread. Counters are per task, not summed over threads.
/// </summary>
public sealed class TaskSchedCollector
{
    private const string GoneRemedy = "The task exited; take snapshots while it runs.";
    private readonly string _root;
    private readonly TimeProvider _time;

    /// <summary>Creates a collector.</summary>
    /// <param name="root">The filesystem root that holds <c>proc/</c>.</param>
    /// <param name="timeProvider">Clock for snapshot timestamps.</param>
    public TaskSchedCollector(string root = "/", TimeProvider? timeProvider = null)
    {
        _root = ProcRoot.Combine(root, "proc");
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Reads the counters of a task.</summary>
    /// <param name="taskId">A process id or thread id.</param>
    /// <returns>The snapshot, or <see cref="MetricsFailureKind.ProcessGone"/> when the task does not exist.</returns>
    public Outcome<TaskSnapshot, MetricsFailure> Capture(int taskId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(taskId);
        var directory = Path.Combine(_root, taskId.ToString(CultureInfo.InvariantCulture));
        var timestamp = ProcRoot.Now(_time);

        TaskSchedStat? stat = null;
        var failure = ProcFile.TryRead(Path.Combine(directory, "schedstat"), MetricsFailureKind.ProcessGone, GoneRemedy, out var file);
        if (failure is null)
        {
            using (file)
            {
                var parsed = TaskSchedStat.Parse(file!.Text, Path.Combine(directory, "schedstat"));
                if (!parsed.Succeeded)
                {
                    return parsed.Failure;
                }

                stat = parsed.Value;
            }
        }
        else if (!Directory.Exists(directory))
        {
            return new MetricsFailure(MetricsFailureKind.ProcessGone, $"Task {taskId} does not exist.", GoneRemedy);
        }
        else if (failure.Kind != MetricsFailureKind.ProcessGone)
        {
            return failure;
        }

        TaskSchedInfo? info = null;
        var schedPath = Path.Combine(directory, "sched");
        failure = ProcFile.TryRead(schedPath, MetricsFailureKind.ProcessGone, GoneRemedy, out file);
        if (failure is null)
        {
            using (file)
            {
                var parsed = TaskSchedInfo.Parse(file!.Text, schedPath);
                if (!parsed.Succeeded)
                {
                    return parsed.Failure;
                }

                info = parsed.Value;
            }
        }

        ulong voluntary, involuntary;
        if (info is { NrVoluntarySwitches: { } v, NrInvoluntarySwitches: { } iv })
        {
            voluntary = (ulong)Math.Max(0, v);
            involuntary = (ulong)Math.Max(0, iv);
        }
        else
        {
            var statusPath = Path.Combine(directory, "status");
            failure = ProcFile.TryRead(statusPath, MetricsFailureKind.ProcessGone, GoneRemedy, out file);
            if (failure is not null)
            {
                return failure;
            }

            using (file)
            {
                var parsed = TaskContextSwitches.ParseStatus(file!.Text, statusPath);
                if (!parsed.Succeeded)
                {
                    return parsed.Failure;
                }

                (voluntary, involuntary) = parsed.Value;
            }
        }

        var run = stat?.RunNs ?? (info?.SumExecRuntimeNs is { } r ? (ulong)Math.Max(0, r) : null);
        var wait = stat?.WaitNs ?? (info?.WaitSumNs is { } w ? (ulong)Math.Max(0, w) : null);
        return new TaskSnapshot(timestamp, taskId, run, wait, stat?.Timeslices, voluntary, involuntary, info);
    }

    /// <summary>What the task did between two snapshots of it.</summary>
    /// <param name="previous">The earlier snapshot.</param>
    /// <param name="current">The later snapshot of the same task.</param>
    public static TaskDelta Delta(TaskSnapshot previous, TaskSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var interval = current.Timestamp - previous.Timestamp;
        var seconds = interval.TotalSeconds;
        ulong? Diff(ulong? before, ulong? now) => before is { } b && now is { } n ? ProcRoot.Minus(n, b) : null;
        var run = Diff(previous.RunNs, current.RunNs);
        var wait = Diff(previous.WaitNs, current.WaitNs);
        return new TaskDelta(
            interval,
            run,
            wait,
            Diff(previous.Timeslices, current.Timeslices),
            run is { } rn ? (seconds > 0 ? rn / 1e9 / seconds : 0) : null,
            wait is { } wn ? (seconds > 0 ? wn / 1e9 / seconds : 0) : null,
            ProcRoot.PerSecond(ProcRoot.Minus(current.VoluntarySwitches, previous.VoluntarySwitches), interval),
            ProcRoot.PerSecond(ProcRoot.Minus(current.InvoluntarySwitches, previous.InvoluntarySwitches), interval));
    }
}
