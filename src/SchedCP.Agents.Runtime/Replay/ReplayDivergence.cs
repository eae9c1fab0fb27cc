namespace SchedCP.Agents.Runtime.Replay;

/// <summary>The first place a replay did something other than the recorded run.</summary>
/// <param name="Sequence">The position in the log where they parted.</param>
/// <param name="Expected">The recorded event, or null when the run did more than was recorded.</param>
/// <param name="Actual">What the replay did instead, or null when it stopped short.</param>
public sealed record ReplayDivergence(long Sequence, RuntimeEvent? Expected, RuntimeEvent? Actual)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"replay diverged at event #{Sequence}: expected [{Expected?.ToString() ?? "end of log"}] but got [{Actual?.ToString() ?? "end of run"}]";
}
