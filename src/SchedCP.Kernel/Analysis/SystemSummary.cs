using System.Globalization;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 1's compact summary of a system over an interval, from two <see cref="SystemSample"/>s. Fractions are of the
/// interval's CPU time (0..1); nulls mean the kernel does not expose that figure.
/// </summary>
/// <param name="Interval">Time between the samples.</param>
/// <param name="CpuCount">Online CPUs.</param>
/// <param name="Utilisation">Busy share of all CPUs (user+nice+system+irq+softirq+steal).</param>
/// <param name="CpuUtilisation">Busy share per CPU, in CPU order.</param>
/// <param name="IoWait">Share of CPU time idle with I/O outstanding.</param>
/// <param name="RunDelayPerSecond">Seconds of run-queue waiting per second: the mean number of runnable tasks not running (schedstat).</param>
/// <param name="MeanRunDelayPerTimeslice">Mean wait before a timeslice (schedstat).</param>
/// <param name="ContextSwitchesPerSecond">Context switches per second, all CPUs.</param>
/// <param name="ForksPerSecond">Processes and threads created per second.</param>
/// <param name="CpuPressureSome">Share of the interval some task stalled on CPU (PSI).</param>
/// <param name="MemoryPressureSome">Share of the interval some task stalled on memory (PSI).</param>
/// <param name="IoPressureSome">Share of the interval some task stalled on I/O (PSI).</param>
/// <param name="Load1">One-minute load average.</param>
/// <param name="RunnableTasks">Runnable tasks at the second sample (<c>procs_running</c>).</param>
/// <param name="Threads">Scheduling entities (threads) in the system at the second sample (from loadavg).</param>
/// <param name="MemoryTotalMiB">Memory in MiB.</param>
/// <param name="MemoryAvailableMiB">Available memory in MiB.</param>
public sealed record SystemSummary(
    TimeSpan Interval,
    int CpuCount,
    double Utilisation,
    IReadOnlyList<double> CpuUtilisation,
    double IoWait,
    double? RunDelayPerSecond,
    TimeSpan? MeanRunDelayPerTimeslice,
    double ContextSwitchesPerSecond,
    double ForksPerSecond,
    double? CpuPressureSome,
    double? MemoryPressureSome,
    double? IoPressureSome,
    double? Load1,
    ulong RunnableTasks,
    ulong? Threads,
    double? MemoryTotalMiB,
    double? MemoryAvailableMiB)
{
    /// <summary>Summarises the interval between two samples of the same system.</summary>
    /// <param name="before">The earlier sample.</param>
    /// <param name="after">The later sample.</param>
    public static SystemSummary Between(SystemSample before, SystemSample after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var stat = ProcStatCollector.Delta(before.ProcStat, after.ProcStat);
        SchedStatDelta? sched = before.SchedStat is { } s0 && after.SchedStat is { } s1 ? SchedStatCollector.Delta(s0, s1) : null;
        static double? Psi(PressureSnapshot? a, PressureSnapshot? b) => a is not null && b is not null ? PressureCollector.Delta(a, b).SomeStallFraction : null;
        return new SystemSummary(
            stat.Interval,
            stat.Cpus.Count,
            stat.Total.Busy,
            stat.Cpus.Select(c => c.Busy).ToArray(),
            stat.Total.IoWait,
            sched?.Total.RunDelayPerSecond,
            sched?.Total.MeanRunDelayPerTimeslice,
            stat.ContextSwitchesPerSecond,
            stat.ProcessesCreatedPerSecond,
            Psi(before.CpuPressure, after.CpuPressure),
            Psi(before.MemoryPressure, after.MemoryPressure),
            Psi(before.IoPressure, after.IoPressure),
            after.Load?.Load1,
            stat.ProcsRunning,
            after.Load?.Tasks,
            after.Memory?.TotalKiB / 1024.0,
            after.Memory?.AvailableKiB / 1024.0);
    }

    /// <summary>One paragraph for a person or an agent: the figures that matter first, absent ones left out.</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new List<string>
        {
            string.Format(c, "Over {0:F1} s the {1} CPUs were {2:P0} busy (per CPU: {3}), {4:P0} in I/O wait.",
                Interval.TotalSeconds, CpuCount, Utilisation, string.Join(", ", CpuUtilisation.Select(u => u.ToString("P0", c))), IoWait),
        };
        if (RunDelayPerSecond is { } delay)
        {
            text.Add(string.Format(c, "On average {0:F2} runnable tasks waited for a CPU ({1:F0} µs per timeslice).",
                delay, MeanRunDelayPerTimeslice?.TotalMicroseconds ?? 0));
        }

        text.Add(string.Format(c, "{0:F0} context switches/s and {1:F1} new tasks/s; {2} runnable now{3}.",
            ContextSwitchesPerSecond, ForksPerSecond, RunnableTasks, Threads is { } t ? string.Format(c, " of {0} threads", t) : ""));
        if (CpuPressureSome is { } cpu)
        {
            text.Add(string.Format(c, "Pressure stalls: CPU {0:P0}, memory {1:P0}, I/O {2:P0} of the time.", cpu, MemoryPressureSome ?? 0, IoPressureSome ?? 0));
        }

        if (MemoryTotalMiB is { } total)
        {
            text.Add(string.Format(c, "Memory {0:F0} MiB available of {1:F0} MiB.", MemoryAvailableMiB ?? 0, total));
        }

        if (Load1 is { } load)
        {
            text.Add(string.Format(c, "Load average (1 min) {0:F2}.", load));
        }

        return string.Join(' ', text);
    }
}
