using BenchmarkDotNet.Attributes;
using SchedCP.Core.Results;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Benchmarks;

/// <summary>Cost of one snapshot of each collector on this machine's real /proc (read + parse).</summary>
[MemoryDiagnoser]
public class MetricsSnapshotBenchmarks
{
    private readonly ProcStatCollector _stat = new();
    private readonly SchedStatCollector _schedStat = new();
    private readonly TaskSchedCollector _task = new();
    private readonly PressureCollector _pressure = new();
    private readonly LoadAverageCollector _load = new();
    private readonly int _pid = Environment.ProcessId;

    [Benchmark(Description = "/proc/stat")]
    public Outcome<ProcStatSnapshot, MetricsFailure> ProcStat() => _stat.Capture();

    /// <summary>On a kernel without CONFIG_SCHEDSTATS this measures the cost of reporting the file as unavailable.</summary>
    [Benchmark(Description = "/proc/schedstat")]
    public Outcome<SchedStatSnapshot, MetricsFailure> SchedStat() => _schedStat.Capture();

    [Benchmark(Description = "/proc/<pid>/{schedstat,sched}")]
    public Outcome<TaskSnapshot, MetricsFailure> Task() => _task.Capture(_pid);

    [Benchmark(Description = "/proc/pressure/cpu")]
    public Outcome<PressureSnapshot, MetricsFailure> Pressure() => _pressure.Capture();

    [Benchmark(Description = "/proc/loadavg")]
    public Outcome<LoadAverage, MetricsFailure> LoadAverage() => _load.Capture();
}
