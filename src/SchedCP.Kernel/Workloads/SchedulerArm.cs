using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// One arm of a side-by-side session: the kernel's EEVDF (no scheduler) or one sched_ext scheduler, with every run
/// of every workload under it and what the kernel said about attaching and detaching it.
/// </summary>
/// <param name="Label">EEVDF, or the scheduler's label (<see cref="WorkloadRunner.SchedulerLabel"/>).</param>
/// <param name="Scheduler">The scheduler; null for EEVDF.</param>
/// <param name="Runs">Its runs, in the order they ran (repeat by repeat).</param>
/// <param name="AttachedEveryRepeat">
/// True for EEVDF; for a scheduler, true when it attached at the start of every repeat and sysfs still showed it
/// enabled after each of its runs. A run under a scheduler the kernel ejected measured EEVDF instead.
/// </param>
/// <param name="DetachedCleanly">True for EEVDF; for a scheduler, true when sched_ext was disabled after every stop.</param>
/// <param name="Problem">What the kernel or the scheduler said when it did not attach or stay attached, or null.</param>
public sealed record SchedulerArm(
    string Label,
    SchedulerUnderTest? Scheduler,
    IReadOnlyList<WorkloadRun> Runs,
    bool AttachedEveryRepeat,
    bool DetachedCleanly,
    string? Problem)
{
    /// <summary>True when every run has a result and the scheduler attached, stayed and detached as it should.</summary>
    public bool Healthy => AttachedEveryRepeat && DetachedCleanly && Runs.Count > 0 && Runs.All(r => r.Succeeded);

    /// <summary>The values of one metric over the successful runs of <paramref name="workload"/> (by name), in run order.</summary>
    /// <param name="workload">The workload's name, e.g. <c>longtail</c>.</param>
    /// <param name="metric">The metric, e.g. <c>makespan_ms</c>.</param>
    public IReadOnlyList<double> Values(string workload, string metric) =>
        Runs.Where(r => r.Workload.Name == workload && r.Result is not null && r.Result.Metrics.ContainsKey(metric))
            .Select(r => r.Result!.Metrics[metric])
            .ToArray();
}
