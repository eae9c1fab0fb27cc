namespace SchedCP.Kernel.Analysis;

/// <summary>Which way a KPI improves.</summary>
public enum KpiDirection
{
    /// <summary>Smaller is better: makespan, latency.</summary>
    LowerIsBetter,

    /// <summary>Larger is better: throughput.</summary>
    HigherIsBetter,
}
