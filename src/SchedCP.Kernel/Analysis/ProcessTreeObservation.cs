namespace SchedCP.Kernel.Analysis;

/// <summary>
/// What a <see cref="ProcessTreeObserver"/> saw of a process and its descendants: every thread, and the figures the
/// profile rules use. Totals are sums over threads of what was last read, so tasks shorter than a poll interval may be
/// missed and the last partial interval of each task is not counted.
/// </summary>
/// <param name="RootProcessId">The observed root.</param>
/// <param name="Wall">From the first to the last poll.</param>
/// <param name="Polls">Polls made.</param>
/// <param name="Tasks">Every thread seen.</param>
/// <param name="PeakThreads">Most threads alive at one poll.</param>
public sealed record ProcessTreeObservation(int RootProcessId, TimeSpan Wall, int Polls, IReadOnlyList<TaskObservation> Tasks, int PeakThreads)
{
    /// <summary>Where the per-task facts came from (polling is a lower bound; the BPF probe sees every task).</summary>
    public ObservationSource Source { get; init; } = ObservationSource.ProcfsPolling;

    /// <summary>Task records the BPF probe lost (ring buffer full) or could not read; null when polled (unknowable).</summary>
    public long? TasksLost { get; init; }

    /// <summary>True when every task of the workload is known to be in <see cref="Tasks"/>: the BPF probe lost none.</summary>
    public bool Complete => Source != ObservationSource.ProcfsPolling && TasksLost == 0;

    /// <summary>One line on where the facts came from and how complete they are.</summary>
    public string Provenance => Source switch
    {
        ObservationSource.ProcfsPolling => $"{Tasks.Count} threads seen by polling /proc ({Polls} polls): a lower bound, short tasks may be missing",
        _ => $"{Tasks.Count} tasks recorded by the kernel (BPF, {(Source == ObservationSource.GuestBpf ? "sched_ext guest" : "host")}), {TasksLost} lost{(Complete ? ": complete" : "")}",
    };

    /// <summary>Processes seen (thread groups).</summary>
    public int Processes => Tasks.Select(t => t.ProcessId).Distinct().Count();

    /// <summary>CPU seconds used by all threads.</summary>
    public double CpuSeconds => Tasks.Sum(t => (double)t.RunNs) / 1e9;

    /// <summary>Seconds all threads waited runnable.</summary>
    public double WaitSeconds => Tasks.Sum(t => (double)t.WaitNs) / 1e9;

    /// <summary>Voluntary context switches of all threads.</summary>
    public ulong VoluntarySwitches => (ulong)Tasks.Sum(t => (double)t.VoluntarySwitches);

    /// <summary>Involuntary context switches of all threads.</summary>
    public ulong InvoluntarySwitches => (ulong)Tasks.Sum(t => (double)t.InvoluntarySwitches);

    /// <summary>
    /// The threads doing the work: those of the root's descendant processes when it has any (the root is then the
    /// driver, like make), else the root's threads other than its main thread when it has any, else all.
    /// </summary>
    public IReadOnlyList<TaskObservation> WorkTasks
    {
        get
        {
            var children = Tasks.Where(t => t.ProcessId != RootProcessId).ToArray();
            if (children.Length > 0)
            {
                return children;
            }

            var threads = Tasks.Where(t => t.ThreadId != RootProcessId).ToArray();
            return threads.Length > 0 ? threads : Tasks;
        }
    }

    /// <summary>
    /// The work items, one length each in the distributions: each descendant process (its threads' CPU time summed,
    /// its observed lifetime) when the root has descendants, else each thread of <see cref="WorkTasks"/>.
    /// </summary>
    public IReadOnlyList<(string Name, double CpuMs, double LifetimeMs)> WorkItems =>
        WorkTasks.GroupBy(t => Tasks.Any(x => x.ProcessId != RootProcessId) ? t.ProcessId : t.ThreadId)
            .Select(g => (g.First().Name, g.Sum(t => (double)t.RunNs) / 1e6, (g.Max(t => t.LastSeen) - g.Min(t => t.FirstSeen)).TotalMilliseconds))
            .ToArray();
}
