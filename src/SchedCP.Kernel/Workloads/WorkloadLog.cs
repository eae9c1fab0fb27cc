using Microsoft.Extensions.Logging;

namespace SchedCP.Kernel.Workloads;

/// <summary>Source-generated log messages of the workload runner; event ids 1600-1649.</summary>
internal static partial class WorkloadLog
{
    [LoggerMessage(1600, LogLevel.Debug, "workload starting: {Workload}")]
    public static partial void Starting(ILogger logger, BenchmarkWorkload workload);

    [LoggerMessage(1601, LogLevel.Information, "workload {Workload} finished: {Result}")]
    public static partial void Finished(ILogger logger, string workload, WorkloadResult result);

    [LoggerMessage(1602, LogLevel.Warning, "workload {Workload} failed: {Failure}")]
    public static partial void Failed(ILogger logger, string workload, WorkloadFailure failure);

    [LoggerMessage(1603, LogLevel.Information, "sandbox session: {Runs} workload runs under {Scheduler}")]
    public static partial void SandboxSession(ILogger logger, int runs, string scheduler);
}
