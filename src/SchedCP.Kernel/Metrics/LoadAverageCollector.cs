using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>Reads <c>/proc/loadavg</c> under a configurable root.</summary>
public sealed class LoadAverageCollector : IMetricsCollector<LoadAverage>
{
    private readonly TimeProvider _time;

    /// <summary>Creates a collector.</summary>
    /// <param name="root">The filesystem root that holds <c>proc/</c>.</param>
    /// <param name="timeProvider">Clock for snapshot timestamps.</param>
    public LoadAverageCollector(string root = "/", TimeProvider? timeProvider = null)
    {
        FilePath = ProcRoot.Combine(root, "proc/loadavg");
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The file this collector reads.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public Outcome<LoadAverage, MetricsFailure> Capture()
    {
        var failure = ProcFile.TryRead(FilePath, MetricsFailureKind.Unavailable, "Mount procfs at /proc (or point the collector at the right root).", out var file);
        if (failure is not null)
        {
            return failure;
        }

        using (file)
        {
            return PressureParser.ParseLoadAverage(file!.Text, FilePath, ProcRoot.Now(_time));
        }
    }
}
