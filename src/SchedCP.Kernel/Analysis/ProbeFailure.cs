using SchedCP.Core.Results;

namespace SchedCP.Kernel.Analysis;

/// <summary>Why the run-queue latency probe produced no histograms.</summary>
public enum ProbeFailureKind
{
    /// <summary>The sandbox toolchain has no probe (built before it existed).</summary>
    ToolchainWithoutProbe,

    /// <summary>The sandbox guest gave no result.</summary>
    SandboxFailed,

    /// <summary>The probe reader reported an error: bad arguments, an object it could not open, a load or attach the kernel refused.</summary>
    ProbeRefused,

    /// <summary>The reader's output was not the JSON line it prints.</summary>
    MalformedOutput,
}

/// <summary>An expected failure of the run-queue latency probe, with what to do about it.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">What happened.</param>
/// <param name="Remedy">What to do.</param>
public sealed record ProbeFailure(ProbeFailureKind Kind, string Message, string Remedy) : Failure<ProbeFailureKind>(Kind, Message, Remedy);
