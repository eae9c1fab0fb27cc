using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Benchmark workloads run in one sandbox guest, optionally under a sched_ext scheduler attached for the whole session.
/// </summary>
/// <param name="Scheduler">A label for the scheduler: <c>EEVDF</c> for the kernel's default, else the scheduler's file name.</param>
/// <param name="Runs">Every run, in the order they ran.</param>
/// <param name="SchedulerStayedAttached">
/// True when no scheduler was asked for, or when sysfs showed it enabled after every run; a run under a scheduler the
/// kernel ejected measured EEVDF instead.
/// </param>
/// <param name="Failure">Why the session gave no runs (sandbox failure, scheduler never attached), or null.</param>
/// <param name="Sandbox">The sandbox job's result.</param>
public sealed record SandboxWorkloadSession(
    string Scheduler,
    IReadOnlyList<WorkloadRun> Runs,
    bool SchedulerStayedAttached,
    WorkloadFailure? Failure,
    SandboxResult? Sandbox);
