using Microsoft.Extensions.Logging;

namespace SchedCP.Kernel.Supervision;

/// <summary>Source-generated log messages of the supervisor; event ids 1100-1199.</summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(1100, LogLevel.Information, "Starting scheduler {Executable} {Arguments}")]
    public static partial void Starting(ILogger logger, string executable, string arguments);

    [LoggerMessage(1101, LogLevel.Information, "Scheduler {Ops} attached (pid {Pid}, enable_seq {EnableSeq}) after {Milliseconds:F0} ms")]
    public static partial void Attached(ILogger logger, string ops, int pid, long enableSeq, double milliseconds);

    [LoggerMessage(1102, LogLevel.Warning, "Scheduler {Ops} ended: {Ending} {Kind} {Reason} {Message}")]
    public static partial void Ended(ILogger logger, string ops, SchedulerEnding ending, SchedCP.Kernel.SchedExt.SchedExtExitKind kind, string reason, string message);

    [LoggerMessage(1103, LogLevel.Warning, "Scheduler {Ops} ignored SIGINT for {Seconds:F1} s; killing its process tree")]
    public static partial void Escalating(ILogger logger, string ops, double seconds);

    [LoggerMessage(1104, LogLevel.Warning, "Supervisor refused: {Failure}")]
    public static partial void Refused(ILogger logger, SupervisorFailure failure);
}
