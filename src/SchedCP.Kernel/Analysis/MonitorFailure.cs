using SchedCP.Core.Results;

namespace SchedCP.Kernel.Analysis;

/// <summary>Why a monitor sink or registration was refused.</summary>
internal enum MonitorFailureKind
{
    /// <summary>A webhook address is not an http(s) URL on a loopback IP address.</summary>
    WebhookNotLoopback,
}

/// <summary>An expected failure of the monitoring API, with what to do about it.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">What happened.</param>
/// <param name="Remedy">What to do.</param>
internal sealed record MonitorFailure(MonitorFailureKind Kind, string Message, string Remedy) : Failure<MonitorFailureKind>(Kind, Message, Remedy);
