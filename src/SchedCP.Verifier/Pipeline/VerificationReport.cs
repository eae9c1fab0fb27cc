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

    /// <summary>A line per stage, then a line per finding with its remedy, indented: what people and agents read.</summary>
    /// <param name="maxFindingsPerStage">How many findings of each stage to list.</param>
    /// <returns>The lines.</returns>
    public IEnumerable<string> Lines(int maxFindingsPerStage = int.MaxValue)
    {
        foreach (var verdict in Verdicts)
        {
            yield return verdict.ToString();
            foreach (var finding in verdict.Findings.Take(maxFindingsPerStage))
            {
                yield return $"  {finding}{(finding.Remedy.Length > 0 ? $" — {finding.Remedy}" : "")}";
            }
        }
    }
}
