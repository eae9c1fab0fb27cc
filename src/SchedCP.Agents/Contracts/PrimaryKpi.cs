using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>The one KPI that decides between candidates, as the workload reports it.</summary>
/// <param name="Metric">The workload's metric, e.g. <c>makespan_ms</c>.</param>
/// <param name="Direction">Which way it improves.</param>
/// <param name="Ranking">The repository's matching ranking metric.</param>
public sealed record PrimaryKpi(string Metric, KpiDirection Direction, RankingMetric Ranking)
{
    /// <summary>Makespan in milliseconds.</summary>
    public static PrimaryKpi Makespan { get; } = new("makespan_ms", KpiDirection.LowerIsBetter, RankingMetric.Makespan);

    /// <summary>99th-percentile latency in microseconds.</summary>
    public static PrimaryKpi P99 { get; } = new("p99_us", KpiDirection.LowerIsBetter, RankingMetric.LatencyP99);

    /// <summary>Requests per second.</summary>
    public static PrimaryKpi Throughput { get; } = new("requests_per_second", KpiDirection.HigherIsBetter, RankingMetric.Throughput);

    /// <summary>
    /// The KPI a workload prints: its own metric and direction; the repository ranks its history by throughput when higher
    /// is better, else by p99 latency for a latency and by makespan for anything else.
    /// </summary>
    /// <param name="kpi">The workload's printed KPI.</param>
    public static PrimaryKpi From(OutputKpi kpi)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        var ranking = kpi.Direction == KpiDirection.HigherIsBetter ? RankingMetric.Throughput
            : kpi.Metric.Contains("latency", StringComparison.OrdinalIgnoreCase) ? RankingMetric.LatencyP99
            : RankingMetric.Makespan;
        return new PrimaryKpi(kpi.Metric, kpi.Direction, ranking);
    }

    /// <summary>The KPI for <paramref name="goal"/> when the workload reports it, else makespan.</summary>
    /// <param name="goal">The profile's goal.</param>
    /// <param name="available">The metrics the workload reports; empty means unknown (the goal's KPI is used).</param>
    public static PrimaryKpi For(OptimisationGoal goal, IReadOnlyCollection<string> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        var wanted = goal switch
        {
            OptimisationGoal.P99Latency => P99,
            OptimisationGoal.Throughput => Throughput,
            _ => Makespan,
        };
        return available.Count == 0 || available.Contains(wanted.Metric) ? wanted
            : available.Contains(Makespan.Metric) ? Makespan
            : available.Contains(P99.Metric) ? P99
            : wanted;
    }
}
