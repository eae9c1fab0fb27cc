namespace SchedCP.Kernel.Analysis;

/// <summary>What a scheduler for this workload should optimise.</summary>
public enum OptimisationGoal
{
    /// <summary>Finish the whole batch sooner: batches with a long tail, builds.</summary>
    Makespan,

    /// <summary>Wake and run short requests promptly: the 99th-percentile latency.</summary>
    P99Latency,

    /// <summary>Do the most work per second: steady CPU-bound services.</summary>
    Throughput,
}
