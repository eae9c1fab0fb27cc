using SchedCP.Kernel.Analysis;

namespace SchedCP.Agents;

/// <summary>What the Observation agent hands to the Planning agent.</summary>
/// <param name="Workload">The workload's name.</param>
/// <param name="Profile">The deterministic profile (characteristics, goal, the rules that fired).</param>
/// <param name="TaskGroups">Tasks grouped by name, longest first (at most 16).</param>
/// <param name="LongTaskNames">Names whose tasks ran far longer than the median task: the learned long jobs.</param>
/// <param name="Fingerprint">The repository's fingerprint of the profile, the key of its history.</param>
/// <param name="Notes">What an agent added (model notes, operator hints).</param>
public sealed record ObservationReport(
    string Workload,
    WorkloadProfile Profile,
    IReadOnlyList<TaskGroup> TaskGroups,
    IReadOnlyList<string> LongTaskNames,
    string Fingerprint,
    IReadOnlyList<string> Notes)
{
    /// <summary>The metrics the workload reports (from the observed run), e.g. <c>makespan_ms</c>, <c>p99_us</c>.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>
    /// The long work items and what identifies them on a rerun (names, fork order under their parent, the short class's
    /// CPU-time p95), from the observation's per-task facts.
    /// </summary>
    public LongTaskIdentification LongTasks { get; init; } = LongTaskIdentification.None;

    /// <summary>Why the observed run failed, or null; a failed observation is not recorded in the repository.</summary>
    public SchedCP.Kernel.Workloads.WorkloadFailure? Failure { get; init; }

    /// <summary>The KPI the workload declares it prints (<c>--kpi</c>, cyclictest's latency...), which overrides the goal's.</summary>
    public PrimaryKpi? DeclaredKpi { get; init; }

    /// <summary>The KPI the loop optimises: the declared one, else chosen from the goal and the metrics the workload reports.</summary>
    public PrimaryKpi Kpi => DeclaredKpi ?? PrimaryKpi.For(Goal, Metrics);

    /// <summary>The goal to optimise.</summary>
    public OptimisationGoal Goal => Profile.Goal;
}
