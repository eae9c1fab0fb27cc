using Microsoft.Extensions.Logging;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>Source-generated log messages; event ids 3100-3199 belong to the DAG orchestrator.</summary>
internal static partial class OrchestrationLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "DAG {DagId} submitted with {TaskCount} tasks, critical path {CriticalPathSeconds} s")]
    public static partial void DagSubmitted(this ILogger logger, string dagId, int taskCount, double criticalPathSeconds);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Task {TaskId} placed on {PoolId} ({Pricing}): {Reason}")]
    public static partial void TaskPlaced(this ILogger logger, string taskId, string poolId, string pricing, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Task {TaskId} waits: {Reason}")]
    public static partial void TaskWaits(this ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Instance {InstanceId} of pool {PoolId} was interrupted; {TaskCount} tasks rescheduled or failed")]
    public static partial void Interrupted(this ILogger logger, string poolId, string instanceId, int taskCount);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Task {TaskId} failed for good: {Reason}")]
    public static partial void TaskFailed(this ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "DAG {DagId} finished: {Completed} completed, {Failed} failed, {Cancelled} cancelled, spent {Spent}")]
    public static partial void DagFinished(this ILogger logger, string dagId, int completed, int failed, int cancelled, decimal spent);
}
