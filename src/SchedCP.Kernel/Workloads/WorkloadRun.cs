namespace SchedCP.Kernel.Workloads;

/// <summary>One run of a benchmark workload: its parsed result, or why there is none.</summary>
/// <param name="Workload">What ran.</param>
/// <param name="Repeat">The repeat index, from 0.</param>
/// <param name="Result">The parsed output; null when <paramref name="Failure"/> is set.</param>
/// <param name="Failure">Why there is no result.</param>
/// <param name="Stderr">The workload's standard error (trimmed to a few KiB).</param>
public sealed record WorkloadRun(BenchmarkWorkload Workload, int Repeat, WorkloadResult? Result, WorkloadFailure? Failure, string Stderr)
{
    /// <summary>True when the run has a result.</summary>
    public bool Succeeded => Result is not null;
}
