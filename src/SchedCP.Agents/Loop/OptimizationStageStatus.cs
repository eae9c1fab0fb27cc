namespace SchedCP.Agents;

/// <summary>Where one role of an optimisation run is, as <see cref="IOptimizationProgress.StageChanged"/> reports it.</summary>
public enum OptimizationStageStatus
{
    /// <summary>Running now.</summary>
    Running,

    /// <summary>Finished.</summary>
    Done,

    /// <summary>Failed; the detail says why.</summary>
    Failed,

    /// <summary>Not run: an earlier role failed or the budget was spent.</summary>
    Skipped,
}
