using System.ComponentModel.DataAnnotations;

namespace SchedCP.Kernel.Metrics;

/// <summary>Where the metrics collectors read from.</summary>
public sealed class MetricsOptions
{
    /// <summary>The filesystem root that holds <c>proc/</c>. Default "/".</summary>
    [Required]
    public string ProcRoot { get; set; } = "/";

    /// <summary>The perf executable. Default "perf", found on PATH.</summary>
    [Required]
    public string PerfPath { get; set; } = "perf";
}
