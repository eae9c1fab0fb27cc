namespace SchedCP.Agents.Runtime.Replay;

/// <summary>Stops an agent during replay once the run has diverged from the log. Not seen by callers of the runtime.</summary>
#pragma warning disable CA1032, CA1064 // Internal control flow, never constructed by users.
internal sealed class ReplayDivergenceException(ReplayDivergence divergence) : Exception(divergence.ToString())
#pragma warning restore CA1032, CA1064
{
    public ReplayDivergence Divergence { get; } = divergence;
}
