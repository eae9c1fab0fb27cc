using Microsoft.Extensions.Logging;

namespace SchedCP.Kernel.Sandbox;

/// <summary>Source-generated log messages of the sandbox; event ids 1000-1099.</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(1000, LogLevel.Information, "Sandbox job {Job}: booting {Cpus} CPU(s), {MemoryMiB} MiB, timeout {TimeoutSeconds} s")]
    public static partial void Booting(ILogger logger, string job, int cpus, int memoryMiB, double timeoutSeconds);

    [LoggerMessage(1001, LogLevel.Debug, "[{Job} console] {Line}")]
    public static partial void ConsoleLine(ILogger logger, string job, string line);

    [LoggerMessage(1002, LogLevel.Information, "Sandbox job {Job}: guest ready after {Seconds:F2} s")]
    public static partial void Ready(ILogger logger, string job, double seconds);

    [LoggerMessage(1003, LogLevel.Information, "Sandbox job {Job}: finished with status {Status} in {Seconds:F2} s")]
    public static partial void Finished(ILogger logger, string job, int? status, double seconds);

    [LoggerMessage(1004, LogLevel.Warning, "Sandbox job {Job} failed: {Failure}")]
    public static partial void Failed(ILogger logger, string job, SandboxFailure failure);

    [LoggerMessage(1006, LogLevel.Warning, "Sandbox job {Job}: QEMU crashed before the guest was ready (attempt {Attempt}: {Reason}); booting again")]
    public static partial void Retrying(ILogger logger, string job, int attempt, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Sandbox job {Job}: killing QEMU ({Reason})")]
    public static partial void Killing(ILogger logger, string job, string reason);

    [LoggerMessage(1007, LogLevel.Information, "Sandbox job {Job}: waiting for one of {Slots} guest slot(s); other guests are running on this machine")]
    public static partial void WaitingForSlot(ILogger logger, string job, int slots);

    [LoggerMessage(1008, LogLevel.Information, "Sandbox job {Job}: got a guest slot after {Seconds:F1} s")]
    public static partial void SlotAcquired(ILogger logger, string job, double seconds);
}
