using System.Globalization;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Turns an observation into a <see cref="WorkloadProfile"/> by fixed, documented rules (docs/workload-analysis.md):
/// <list type="bullet">
/// <item>CPU-bound: the work tasks' runnable share (run + wait over observed lifetime) ≥ <see cref="CpuBoundRunnableShare"/>.</item>
/// <item>I/O-bound: I/O wait ≥ <see cref="IoBoundIoWait"/> of CPU time or I/O pressure ≥ <see cref="IoBoundPressure"/>, and not CPU-bound.</item>
/// <item>Latency-sensitive: ≥ <see cref="LatencySwitchesPerSecond"/> voluntary switches/s with a mean CPU burst ≤ <see cref="LatencyBurstMs"/> ms.</item>
/// <item>Short-lived processes: ≥ <see cref="ShortLivedMinProcesses"/> work processes with median CPU ≤ <see cref="ShortLivedMedianCpuMs"/> ms.</item>
/// <item>Long tail: ≥ 4 work items, longest ≥ <see cref="LongTailRatio"/>× the median CPU time, at most a quarter of them at least half the longest,
/// and their lifetimes differ too (longest ≥ <see cref="LongTailLifetimeRatio"/>× the median): in a batch the short items end
/// early; threads that all live the whole run (a server's dispatchers and workers) differ in CPU time by role, not by job.</item>
/// <item>Goal: a CPU-bound long tail or short-lived processes → makespan; else latency-sensitive → p99 latency; else a
/// long tail → makespan; else throughput. (Threads that mostly sleep and wake, such as a server's dispatchers and
/// workers, differ in CPU time without being a batch whose makespan matters.)</item>
/// </list>
/// </summary>
public static class WorkloadProfiler
{
    /// <summary>Runnable share from which a workload is CPU-bound.</summary>
    public const double CpuBoundRunnableShare = 0.7;

    /// <summary>I/O wait share of CPU time from which a workload is I/O-bound.</summary>
    public const double IoBoundIoWait = 0.15;

    /// <summary>I/O pressure (some) from which a workload is I/O-bound.</summary>
    public const double IoBoundPressure = 0.2;

    /// <summary>Voluntary switches per second from which a workload may be latency-sensitive.</summary>
    public const double LatencySwitchesPerSecond = 100;

    /// <summary>Mean CPU burst up to which a frequently sleeping workload is latency-sensitive, in ms.</summary>
    public const double LatencyBurstMs = 2;

    /// <summary>Work processes from which short ones count as a build-like stream.</summary>
    public const int ShortLivedMinProcesses = 10;

    /// <summary>Median CPU time of a short-lived process, in ms.</summary>
    public const double ShortLivedMedianCpuMs = 200;

    /// <summary>Longest over median task from which a batch has a long tail.</summary>
    public const double LongTailRatio = 4;

    /// <summary>Longest over median lifetime of the work items from which their CPU-time tail is a batch's long tail.</summary>
    public const double LongTailLifetimeRatio = 1.5;

    /// <summary>Profiles an observed process tree, with the system summary over the same interval when there is one.</summary>
    /// <param name="name">The workload's name.</param>
    /// <param name="tree">The process tree observation.</param>
    /// <param name="system">The system over the same interval, for I/O wait, pressure and memory; optional.</param>
    /// <param name="runQueueLatency">
    /// The BPF probe's histograms over the same workload, when measured: quoted in the summary and the reasons, without
    /// changing the classification.
    /// </param>
    public static WorkloadProfile Profile(string name, ProcessTreeObservation tree, SystemSummary? system = null, RunQueueLatencyReport? runQueueLatency = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tree);
        var c = CultureInfo.InvariantCulture;
        var wall = Math.Max(tree.Wall.TotalSeconds, 1e-3);
        var work = tree.WorkTasks;
        var lifetime = work.Sum(t => Math.Max(t.ObservedLifetime.TotalSeconds, 0));
        var cpu = work.Sum(t => (double)t.RunNs) / 1e9;
        var wait = work.Sum(t => (double)t.WaitNs) / 1e9;
        var runnable = lifetime > 0 ? Math.Min(1, (cpu + wait) / lifetime) : 0;
        var waitShare = cpu + wait > 0 ? wait / (cpu + wait) : 0;
        var voluntary = tree.VoluntarySwitches / wall;
        var involuntary = tree.InvoluntarySwitches / wall;
        var burst = tree.VoluntarySwitches > 0 ? tree.CpuSeconds * 1000 / tree.VoluntarySwitches : tree.CpuSeconds * 1000;
        var items = tree.WorkItems;
        var cpuDist = TaskLengthDistribution.Of(items.Select(i => i.CpuMs));
        var lifeDist = TaskLengthDistribution.Of(items.Select(i => i.LifetimeMs));
        var workProcesses = tree.Tasks.Where(t => t.ProcessId != tree.RootProcessId).Select(t => t.ProcessId).Distinct().Count();
        var reasons = new List<string> { "observed: " + tree.Provenance };

        var cpuBound = runnable >= CpuBoundRunnableShare;
        reasons.Add(string.Format(c, "runnable share {0:P0} {1} {2:P0} → {3}CPU-bound", runnable, cpuBound ? "≥" : "<", CpuBoundRunnableShare, cpuBound ? "" : "not "));
        var ioWait = system?.IoWait ?? 0;
        var ioPressure = system?.IoPressureSome ?? 0;
        var ioBound = !cpuBound && (ioWait >= IoBoundIoWait || ioPressure >= IoBoundPressure);
        if (ioBound)
        {
            reasons.Add(string.Format(c, "I/O wait {0:P0}, I/O pressure {1:P0} → I/O-bound", ioWait, ioPressure));
        }

        var latency = voluntary >= LatencySwitchesPerSecond && burst <= LatencyBurstMs;
        reasons.Add(string.Format(c, "{0:F0} voluntary switches/s, mean burst {1:F2} ms → {2}latency-sensitive", voluntary, burst, latency ? "" : "not "));
        var shortLived = workProcesses >= ShortLivedMinProcesses && cpuDist.P50 <= ShortLivedMedianCpuMs;
        reasons.Add(string.Format(c, "{0} work processes, median CPU {1:F0} ms → {2}a stream of short-lived processes", workProcesses, cpuDist.P50, shortLived ? "" : "not "));
        var longTail = cpuDist.Count >= 4 && cpuDist.TailRatio >= LongTailRatio && cpuDist.LongTasks * 4 <= cpuDist.Count && lifeDist.TailRatio >= LongTailLifetimeRatio;
        reasons.Add(string.Format(c, "{0} work items, longest/median CPU {1:F1}×, {2} long, longest/median lifetime {3:F1}× → {4}long tail",
            cpuDist.Count, cpuDist.TailRatio, cpuDist.LongTasks, lifeDist.TailRatio, longTail ? "" : "no "));

        var goal = (longTail && cpuBound) || shortLived ? OptimisationGoal.Makespan
            : latency ? OptimisationGoal.P99Latency
            : longTail ? OptimisationGoal.Makespan
            : OptimisationGoal.Throughput;
        reasons.Add($"goal {goal}");
        var latencyText = "";
        if (runQueueLatency is { RunQueueLatency: { Count: > 0 } rq })
        {
            latencyText = string.Format(c, " The BPF probe saw {0} waits for a CPU: median ≈ {1:F0} µs, p99 ≈ {2:F0} µs.", rq.Count, rq.P50, rq.P99);
            reasons.Add(string.Format(c, "run-queue latency (BPF probe, {0} waits): p50 ≈ {1:F0} µs, p99 ≈ {2:F0} µs", rq.Count, rq.P50, rq.P99));
        }

        var parallelism = tree.CpuSeconds / wall;
        var characteristics = new WorkloadCharacteristics(cpuBound, ioBound, latency, shortLived, longTail, parallelism, tree.PeakThreads,
            runnable, waitShare, voluntary, involuntary, burst, cpuDist, lifeDist);
        double? memory = system is { MemoryTotalMiB: { } total, MemoryAvailableMiB: { } available } ? total - available : null;
        var resources = new ResourceNeeds(Math.Max(1, (int)Math.Ceiling(parallelism - 0.05)), tree.PeakThreads, memory);
        return new WorkloadProfile(name, Describe(name, characteristics, tree, goal) + latencyText, characteristics, resources, goal, reasons)
        {
            Source = tree.Source,
            Complete = tree.Complete,
        };
    }

    private static string Describe(string name, WorkloadCharacteristics ch, ProcessTreeObservation tree, OptimisationGoal goal)
    {
        var c = CultureInfo.InvariantCulture;
        var kind = ch.LongTail ? "a batch of CPU-bound tasks with a long tail"
            : ch.ShortLivedProcesses ? "a build-like stream of short-lived processes"
            : ch.LatencySensitive ? "a latency-sensitive request/wakeup workload"
            : ch.IoBound ? "an I/O-bound workload"
            : ch.CpuBound ? "a CPU-bound workload" : "a mostly idle workload";
        var goalText = goal switch
        {
            OptimisationGoal.Makespan => "minimise the makespan (start the long work early, keep every CPU busy)",
            OptimisationGoal.P99Latency => "minimise the p99 wakeup latency (run woken tasks promptly, short slices)",
            _ => "maximise throughput (long slices, few migrations)",
        };
        return string.Format(c,
            "{0} is {1}: {2} processes and up to {3} threads over {4:F2} s kept {5:F2} CPUs busy; tasks were runnable {6:P0} of their life and waited for a CPU {7:P0} of that; " +
            "{8:F0} voluntary and {9:F0} involuntary switches/s (mean burst {10:F2} ms); work items' CPU time median {11:F0} ms, p90 {12:F0} ms, max {13:F0} ms. Goal: {14}.",
            name, kind, tree.Processes, ch.PeakThreads, tree.Wall.TotalSeconds, ch.Parallelism, ch.RunnableShare, ch.WaitShare,
            ch.VoluntarySwitchesPerSecond, ch.InvoluntarySwitchesPerSecond, ch.MeanBurstMs, ch.TaskCpuMs.P50, ch.TaskCpuMs.P90, ch.TaskCpuMs.Max, goalText);
    }
}
