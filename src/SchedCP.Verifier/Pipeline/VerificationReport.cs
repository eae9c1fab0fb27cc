namespace SchedCP.Verifier.Pipeline;

/// <summary>The outcome of a pipeline run: every verdict up to the first failing stage.</summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="Verdicts">The verdicts in stage order; the last one is the failure when <see cref="Passed"/> is false.</param>
/// <param name="ObjectPath">The compiled object that was verified, when one was produced.</param>
public sealed record VerificationReport(VerificationCandidate Candidate, IReadOnlyList<StageVerdict> Verdicts, string? ObjectPath)
{
    /// <summary>True when every stage passed.</summary>
    public bool Passed => Verdicts.Count > 0 && Verdicts.All(v => v.Passed);

    /// <summary>The stage that stopped the candidate, or null.</summary>
    public StageVerdict? FailedStage => Verdicts.FirstOrDefault(v => !v.Passed);

    /// <summary>A one-line summary (<c>compile ✓ static ✗ (enqueue-drops-task)</c>), signed into deployment tokens.</summary>
    public string Summary => string.Join(' ', Verdicts.Select(v => $"{v.Stage}:{(v.Passed ? "pass" : "fail")}"));
}
