using System.ComponentModel.DataAnnotations;

namespace SchedCP.Kernel.Supervision;

/// <summary>Options of the <see cref="SchedulerSupervisor"/>, with documented defaults.</summary>
public sealed class SchedulerSupervisorOptions
{
    /// <summary>Path of <c>schedcp-loader</c>, used for BPF-object schedulers. Default: from the sandbox toolchain.</summary>
    public string? LoaderPath { get; set; }

    /// <summary>How long the kernel has to report the scheduler enabled after start. Default 15 s.</summary>
    public TimeSpan AttachTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a stop waits after SIGINT before killing the process tree. Default 10 s.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Lines of the scheduler's output kept (oldest dropped first). Default 500.</summary>
    [Range(1, 1_000_000)]
    public int OutputLines { get; set; } = 500;

    /// <summary>Starts allowed within <see cref="RestartWindow"/>. Default 5.</summary>
    [Range(1, 1000)]
    public int MaxStartsPerWindow { get; set; } = 5;

    /// <summary>The rate-limit window for starts. Default 60 s.</summary>
    public TimeSpan RestartWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the running scheduler's sysfs state is checked for an ejection. Default 50 ms.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}
