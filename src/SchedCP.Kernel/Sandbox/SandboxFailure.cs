using SchedCP.Core.Results;

namespace SchedCP.Kernel.Sandbox;

/// <summary>Why a sandbox job could not produce a guest result.</summary>
public enum SandboxFailureKind
{
    /// <summary>The toolchain folder (kernel image, initramfs, loader) was not found or is incomplete.</summary>
    ToolchainMissing,

    /// <summary>The QEMU executable could not be started.</summary>
    QemuNotInstalled,

    /// <summary>The job was malformed (no script, an input file that does not exist, ...).</summary>
    InvalidJob,

    /// <summary>QEMU exited before the guest reported it was ready.</summary>
    BootFailed,

    /// <summary>The guest booted but the job did not finish before the wall-clock limit; QEMU was killed.</summary>
    TimedOut,

    /// <summary>QEMU ended after boot without the guest recording an exit status (a guest panic or crash).</summary>
    GuestCrashed,

    /// <summary>The caller cancelled the job; QEMU was killed.</summary>
    Cancelled,
}

/// <summary>
/// An expected failure of a sandbox job: what went wrong and what to do about it. Returned, never thrown.
/// </summary>
/// <param name="Kind">The category of failure.</param>
/// <param name="Message">What went wrong, in a sentence.</param>
/// <param name="Remedy">What the user can do about it.</param>
public sealed record SandboxFailure(SandboxFailureKind Kind, string Message, string Remedy) : Failure<SandboxFailureKind>(Kind, Message, Remedy);
