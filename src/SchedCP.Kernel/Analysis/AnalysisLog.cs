using Microsoft.Extensions.Logging;

namespace SchedCP.Kernel.Analysis;

/// <summary>Source-generated log messages of workload analysis; event ids 1650-1699.</summary>
internal static partial class AnalysisLog
{
    [LoggerMessage(1650, LogLevel.Warning, "KPI {Kpi} {Kind}: {Value} against threshold {Threshold}")]
    public static partial void Alert(ILogger logger, KpiAlertKind kind, string kpi, double value, double threshold);

    [LoggerMessage(1651, LogLevel.Error, "delivering the alert for KPI {Kpi} failed")]
    public static partial void SinkFailed(ILogger logger, string kpi, Exception exception);

    [LoggerMessage(1652, LogLevel.Error, "the KPI source of a monitor failed; polling again next period")]
    public static partial void SourceFailed(ILogger logger, Exception exception);
}
