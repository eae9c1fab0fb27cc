using SchedCP.Repository;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.ControlPlane.Promotion;

/// <summary>The verifier's verdicts as the repository records them: the one place the two meet.</summary>
public static class StageVerdictRecords
{
    /// <summary>The verdict as the repository records it (<see cref="VerifierVerdict"/>), findings first in the log, which is cut to its last <see cref="StageVerdict.MaxRecordedLog"/> characters.</summary>
    /// <param name="verdict">A stage's verdict.</param>
    /// <returns>The repository's record of it.</returns>
    public static VerifierVerdict ToRepositoryVerdict(this StageVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var text = string.Join('\n', verdict.Findings.Select(f => f.ToString())) + (verdict.Findings.Count > 0 && verdict.Log.Length > 0 ? "\n\n" : "") + verdict.Log;
        return new VerifierVerdict(verdict.Stage, verdict.Passed, verdict.Reason, text.Length > StageVerdict.MaxRecordedLog ? text[^StageVerdict.MaxRecordedLog..] : text, verdict.At);
    }
}
