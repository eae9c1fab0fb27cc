namespace SchedCP.Console.Feed;

/// <summary>Where one stage of an optimisation loop is.</summary>
public enum LoopStageStatus
{
    /// <summary>Not started.</summary>
    Pending,
    /// <summary>Running now.</summary>
    Running,
    /// <summary>Finished.</summary>
    Done,
    /// <summary>Failed; the detail says why.</summary>
    Failed,
    /// <summary>Not run (an earlier stage failed or it was not needed).</summary>
    Skipped,
}
