namespace SchedCP.Repository;

/// <summary>The metric a ranking compares policies on.</summary>
public enum RankingMetric
{
    /// <summary>Makespan; lower is better.</summary>
    Makespan,

    /// <summary>Throughput; higher is better.</summary>
    Throughput,

    /// <summary>Median latency; lower is better.</summary>
    LatencyP50,

    /// <summary>95th-percentile latency; lower is better.</summary>
    LatencyP95,

    /// <summary>99th-percentile latency; lower is better.</summary>
    LatencyP99,

    /// <summary>CPU utilisation; higher is better (more work done per available CPU).</summary>
    CpuUtilisation,

    /// <summary>Run delay; lower is better.</summary>
    RunDelay,
}
