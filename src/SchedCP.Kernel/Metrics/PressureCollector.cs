using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Reads a PSI file (<c>/proc/pressure/cpu</c> by default) under a configurable root. Kernels without CONFIG_PSI, or
/// booted with <c>psi=0</c>, have no such file: <see cref="Capture"/> then returns <see cref="MetricsFailureKind.Unavailable"/>.
/// </summary>
public sealed class PressureCollector : IMetricsCollector<PressureSnapshot>
{
    private readonly TimeProvider _time;

    /// <summary>Creates a collector.</summary>
    /// <param name="root">The filesystem root that holds <c>proc/</c>.</param>
    /// <param name="resource">Which resource's pressure to read.</param>
    /// <param name="timeProvider">Clock for snapshot timestamps.</param>
    public PressureCollector(string root = "/", PressureResource resource = PressureResource.Cpu, TimeProvider? timeProvider = null)
    {
        FilePath = ProcRoot.Combine(root, resource switch
        {
            PressureResource.Memory => "proc/pressure/memory",
            PressureResource.Io => "proc/pressure/io",
            _ => "proc/pressure/cpu",
        });
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The file this collector reads.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public Outcome<PressureSnapshot, MetricsFailure> Capture()
    {
        var failure = ProcFile.TryRead(FilePath, MetricsFailureKind.Unavailable,
            "The kernel has no pressure stall information: build it with CONFIG_PSI=y and do not boot with psi=0.", out var file);
        if (failure is not null)
        {
            return failure;
        }

        using (file)
        {
            return PressureParser.Parse(file!.Text, FilePath, ProcRoot.Now(_time));
        }
    }

    /// <summary>Stall shares over the interval between two snapshots, from the <c>total</c> counters.</summary>
    /// <param name="previous">The earlier snapshot.</param>
    /// <param name="current">The later snapshot.</param>
    public static PressureDelta Delta(PressureSnapshot previous, PressureSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var interval = current.Timestamp - previous.Timestamp;
        var us = interval.TotalMicroseconds;
        double Share(ulong before, ulong now) => us > 0 ? Math.Min(1, ProcRoot.Minus(now, before) / us) : 0;
        return new PressureDelta(
            interval,
            Share(previous.Some.TotalMicroseconds, current.Some.TotalMicroseconds),
            previous.Full is { } pf && current.Full is { } cf ? Share(pf.TotalMicroseconds, cf.TotalMicroseconds) : null);
    }
}
