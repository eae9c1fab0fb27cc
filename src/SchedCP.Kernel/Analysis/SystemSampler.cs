using System.Globalization;
using SchedCP.Core.Results;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 1 of workload analysis, cheap and read-only: samples procfs twice over an interval and summarises the
/// system (<see cref="SystemSummary"/>). Only <c>/proc/stat</c> is required; the rest is reported when present.
/// </summary>
public sealed class SystemSampler
{
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly ProcStatCollector _procStat;
    private readonly SchedStatCollector _schedStat;
    private readonly PressureCollector _cpuPressure;
    private readonly PressureCollector _memoryPressure;
    private readonly PressureCollector _ioPressure;
    private readonly LoadAverageCollector _load;

    /// <summary>Creates a sampler.</summary>
    /// <param name="root">The folder procfs is under (default <c>/</c>; tests point it at recorded files).</param>
    /// <param name="timeProvider">Clock for timestamps and the wait between samples.</param>
    public SystemSampler(string root = "/", TimeProvider? timeProvider = null)
    {
        _root = root;
        _time = timeProvider ?? TimeProvider.System;
        _procStat = new ProcStatCollector(root, _time);
        _schedStat = new SchedStatCollector(root, _time);
        _cpuPressure = new PressureCollector(root, PressureResource.Cpu, _time);
        _memoryPressure = new PressureCollector(root, PressureResource.Memory, _time);
        _ioPressure = new PressureCollector(root, PressureResource.Io, _time);
        _load = new LoadAverageCollector(root, _time);
    }

    /// <summary>Reads one sample; fails only when <c>/proc/stat</c> cannot be read.</summary>
    public Outcome<SystemSample, MetricsFailure> Capture()
    {
        if (!_procStat.Capture().TryGetValue(out var stat, out var failure))
        {
            return failure;
        }

        return new SystemSample(
            stat,
            _schedStat.Capture().Value,
            _cpuPressure.Capture().Value,
            _memoryPressure.Capture().Value,
            _ioPressure.Capture().Value,
            _load.Capture().Value,
            ReadMemory());
    }

    /// <summary>Samples, waits <paramref name="interval"/> on the clock, samples again, and summarises.</summary>
    /// <param name="interval">The observation window (one second is a good default).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<Outcome<SystemSummary, MetricsFailure>> SummarizeAsync(TimeSpan interval, CancellationToken cancellationToken = default)
    {
        if (!Capture().TryGetValue(out var before, out var failure))
        {
            return failure;
        }

        await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        if (!Capture().TryGetValue(out var after, out failure))
        {
            return failure;
        }

        return SystemSummary.Between(before, after);
    }

    private MemorySnapshot? ReadMemory()
    {
        try
        {
            ulong total = 0, available = 0, free = 0;
            if (Bpf.RegularFile.TryReadAll(Path.Combine(_root, "proc", "meminfo"), 1 << 20, out var bytes) is not null)
            {
                return null;
            }

            foreach (var line in System.Text.Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2 || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                {
                    continue;
                }

                switch (parts[0])
                {
                    case "MemTotal:": total = kib; break;
                    case "MemAvailable:": available = kib; break;
                    case "MemFree:": free = kib; break;
                }
            }

            return total == 0 ? null : new MemorySnapshot(total, available > 0 ? available : free);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
