namespace SchedCP.Kernel.Sandbox;

/// <summary>Runs jobs inside the sched_ext micro-VM.</summary>
public interface ISandboxRunner
{
    /// <summary>
    /// Boots a guest, runs <paramref name="job"/>, and powers it off. Never throws for an expected failure
    /// (missing toolchain, QEMU absent, boot failure, timeout): those are returned in <see cref="SandboxResult.Failure"/>.
    /// QEMU never outlives the call.
    /// </summary>
    /// <param name="job">The job to run.</param>
    /// <param name="cancellationToken">Cancels the job; QEMU is killed.</param>
    Task<SandboxResult> RunAsync(SandboxJob job, CancellationToken cancellationToken = default);
}
