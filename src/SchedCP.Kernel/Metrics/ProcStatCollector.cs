using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Reads <c>/proc/stat</c> (CPU ticks per CPU, context switches, forks, running and blocked tasks) under a
/// configurable root, and turns two snapshots into utilisation per CPU with <see cref="Delta"/>.
/// </summary>
public sealed class ProcStatCollector : IMetricsCollector<ProcStatSnapshot>
{
    private readonly TimeProvider _time;

    /// <summary>Creates a collector.</summary>
    /// <param name="root">The filesystem root that holds <c>proc/</c>; "/" on a live system, a folder of recorded files in tests.</param>
    /// <param name="timeProvider">Clock for snapshot timestamps.</param>
    public ProcStatCollector(string root = "/", TimeProvider? timeProvider = null)
    {
        FilePath = ProcRoot.Combine(root, "proc/stat");
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The file this collector reads.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public Outcome<ProcStatSnapshot, MetricsFailure> Capture()
    {
        var failure = ProcFile.TryRead(FilePath, MetricsFailureKind.Unavailable, "Mount procfs at /proc (or point the collector at the right root).", out var file);
        if (failure is not null)
        {
            return failure;
        }

        using (file)
        {
            return ProcStatParser.Parse(file!.Text, FilePath, ProcRoot.Now(_time));
        }
    }

    /// <summary>Utilisation per CPU and event rates between two snapshots.</summary>
    /// <param name="previous">The earlier snapshot.</param>
    /// <param name="current">The later snapshot.</param>
    public static ProcStatDelta Delta(ProcStatSnapshot previous, ProcStatSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var interval = current.Timestamp - previous.Timestamp;
        var cpus = new List<CpuUtilisation>(current.Cpus.Count);
        foreach (var now in current.Cpus)
        {
            foreach (var before in previous.Cpus)
            {
                if (before.Cpu == now.Cpu)
                {
                    cpus.Add(CpuUtilisation.Between(before, now));
                    break;
                }
            }
        }

        return new ProcStatDelta(
            interval,
            CpuUtilisation.Between(previous.Total, current.Total),
            cpus,
            ProcRoot.PerSecond(ProcRoot.Minus(current.ContextSwitches, previous.ContextSwitches), interval),
            ProcRoot.PerSecond(ProcRoot.Minus(current.ProcessesCreated, previous.ProcessesCreated), interval),
            current.ProcsRunning,
            current.ProcsBlocked);
    }
}
