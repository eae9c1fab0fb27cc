using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents;

/// <summary>
/// What to optimise: a benchmark workload (the command the agents observe and measure), and how much the loop may
/// spend finding a better scheduler for it.
/// </summary>
/// <param name="Workload">The workload to observe, plan for and measure.</param>
public sealed record OptimizationRequest(BenchmarkWorkload Workload)
{
    /// <summary>Most candidates the planner may propose per iteration (default 6).</summary>
    public int MaxCandidates { get; init; } = 6;

    /// <summary>Repeats per arm in the first screening round (default 2).</summary>
    public int ScreeningRepeats { get; init; } = 2;

    /// <summary>Repeats per arm in the final round, side by side with EEVDF (default 5).</summary>
    public int FinalRepeats { get; init; } = 5;

    /// <summary>Candidates kept after screening (successive halving keeps the best half, at least this many; default 2).</summary>
    public int Finalists { get; init; } = 2;

    /// <summary>Iterations of the whole loop (default 1): the next one starts from what the last one learned.</summary>
    public int Iterations { get; init; } = 1;

    /// <summary>An operator's note to the agents (for example "the long jobs are the link steps"); optional.</summary>
    public string? Hint { get; init; }
}
