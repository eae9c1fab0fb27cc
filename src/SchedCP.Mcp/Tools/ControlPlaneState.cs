using System.Collections.Concurrent;
using SchedCP.Kernel.Analysis;

namespace SchedCP.Mcp.Tools;

/// <summary>What the server remembers between calls: scheduler executions, the monitor session and the deployment history.</summary>
public sealed class ControlPlaneState
{
    /// <summary>Executions by id, newest last.</summary>
    public ConcurrentDictionary<string, ExecutionStatus> Executions { get; } = new();

    /// <summary>The sample taken when system_monitor started, while it runs.</summary>
    public SystemSample? MonitorStart { get; set; }

    /// <summary>Deployed policies, newest last; rollback returns to the one before.</summary>
    public ConcurrentStack<string> Deployments { get; } = new();
}

/// <summary>One scheduler execution as get_execution_status reports it.</summary>
/// <param name="ExecutionId">The id run_scheduler returned.</param>
/// <param name="Policy">The policy.</param>
/// <param name="State">running, stopped, completed (a sandbox run that ended with its guest) or failed.</param>
/// <param name="ProcessId">The loader's process id.</param>
/// <param name="StartedAt">When it attached.</param>
/// <param name="Message">The last event, in one line.</param>
/// <param name="Where">host, or sandbox: a sched_ext guest that ran the scheduler under a workload and is gone.</param>
public sealed record ExecutionStatus(string ExecutionId, string Policy, string State, int? ProcessId, DateTimeOffset StartedAt, string Message, string Where = "host");
