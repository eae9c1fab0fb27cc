using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Reads <c>/proc/schedstat</c> (per-CPU run time, run delay and timeslices) under a configurable root. The file exists
/// only on kernels built with CONFIG_SCHEDSTATS; elsewhere <see cref="Capture"/> returns
/// <see cref="MetricsFailureKind.Unavailable"/>.
/// </summary>
public sealed class SchedStatCollector : IMetricsCollector<SchedStatSnapshot>
{
    private readonly TimeProvider _time;

    /// <summary>Creates a collector.</summary>
    /// <param name="root">The filesystem root that holds <c>proc/</c>.</param>
    /// <param name="timeProvider">Clock for snapshot timestamps.</param>
    public SchedStatCollector(string root = "/", TimeProvider? timeProvider = null)
    {
        FilePath = ProcRoot.Combine(root, "proc/schedstat");
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The file this collector reads.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public Outcome<SchedStatSnapshot, MetricsFailure> Capture()
    {
        var failure = ProcFile.TryRead(
            FilePath,
            MetricsFailureKind.Unavailable,
            "This kernel was built without CONFIG_SCHEDSTATS; use per-task /proc/<pid>/schedstat (CONFIG_SCHED_INFO) or the sandbox kernel.",
            out var file);
        if (failure is not null)
        {
            return failure;
        }

        using (file)
        {
            return SchedStatParser.Parse(file!.Text, FilePath, ProcRoot.Now(_time));
        }
    }

    /// <summary>Run time, run delay and timeslice rates between two snapshots.</summary>
    /// <param name="previous">The earlier snapshot.</param>
    /// <param name="current">The later snapshot.</param>
    public static SchedStatDelta Delta(SchedStatSnapshot previous, SchedStatSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var interval = current.Timestamp - previous.Timestamp;
        var cpus = new List<CpuSchedRate>(current.Cpus.Count);
        foreach (var now in current.Cpus)
        {
            foreach (var before in previous.Cpus)
            {
                if (before.Cpu == now.Cpu)
                {
                    cpus.Add(CpuSchedRate.Between(before, now, interval));
                    break;
                }
            }
        }

        return new SchedStatDelta(interval, CpuSchedRate.Between(previous.Total, current.Total, interval), cpus);
    }
}
