using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Analysis;

/// <summary>Memory figures from <c>/proc/meminfo</c>, in KiB.</summary>
/// <param name="TotalKiB">MemTotal.</param>
/// <param name="AvailableKiB">MemAvailable (MemFree on kernels without it).</param>
public readonly record struct MemorySnapshot(ulong TotalKiB, ulong AvailableKiB);

/// <summary>
/// Everything tier 1 reads at one moment: <c>/proc/stat</c> (required) and, where the kernel has them, schedstat,
/// PSI for CPU, memory and I/O, the load average and meminfo. Two samples make a <see cref="SystemSummary"/>.
/// </summary>
/// <param name="ProcStat">CPU times, context switches, forks.</param>
/// <param name="SchedStat">Per-CPU run time and run delay; null without CONFIG_SCHEDSTATS.</param>
/// <param name="CpuPressure">CPU PSI; null without CONFIG_PSI.</param>
/// <param name="MemoryPressure">Memory PSI; null without CONFIG_PSI.</param>
/// <param name="IoPressure">I/O PSI; null without CONFIG_PSI.</param>
/// <param name="Load">Load average and task counts; null when unreadable.</param>
/// <param name="Memory">Memory; null when unreadable.</param>
public sealed record SystemSample(
    ProcStatSnapshot ProcStat,
    SchedStatSnapshot? SchedStat,
    PressureSnapshot? CpuPressure,
    PressureSnapshot? MemoryPressure,
    PressureSnapshot? IoPressure,
    LoadAverage? Load,
    MemorySnapshot? Memory);
