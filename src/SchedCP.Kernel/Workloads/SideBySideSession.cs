using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Benchmark workloads under EEVDF and under one or more sched_ext schedulers in one sandbox guest, repeats
/// interleaved (the arm order rotates each repeat), so every comparison is against a baseline measured on the same
/// kernel, the same emulated CPUs and the same moment.
/// </summary>
/// <param name="Arms">The EEVDF arm first, then one arm per scheduler in the order asked for.</param>
/// <param name="Failure">Why the session gave no runs at all (binaries missing, sandbox failure), or null.</param>
/// <param name="Sandbox">The sandbox job's result.</param>
public sealed record SideBySideSession(IReadOnlyList<SchedulerArm> Arms, WorkloadFailure? Failure, SandboxResult? Sandbox)
{
    /// <summary>The EEVDF arm; null when the session failed.</summary>
    public SchedulerArm? Baseline => Arms.Count > 0 ? Arms[0] : null;

    /// <summary>The scheduler arms, in the order asked for.</summary>
    public IReadOnlyList<SchedulerArm> Candidates => Arms.Count > 1 ? Arms.Skip(1).ToArray() : [];
}
