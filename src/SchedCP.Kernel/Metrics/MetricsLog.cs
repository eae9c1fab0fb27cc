using Microsoft.Extensions.Logging;

namespace SchedCP.Kernel.Metrics;

/// <summary>Source-generated log messages of the metrics collectors; event ids 1400-1499.</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(1400, LogLevel.Debug, "perf stat: {Arguments}")]
    public static partial void PerfStarting(ILogger logger, string arguments);

    [LoggerMessage(1401, LogLevel.Information, "perf stat finished in {Seconds:F2} s with {Counted} of {Total} counters counted")]
    public static partial void PerfFinished(ILogger logger, double seconds, int counted, int total);

    [LoggerMessage(1402, LogLevel.Warning, "perf stat failed: {Failure}")]
    public static partial void PerfFailed(ILogger logger, MetricsFailure failure);
}
