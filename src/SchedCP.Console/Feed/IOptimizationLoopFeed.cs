namespace SchedCP.Console.Feed;

/// <summary>
/// What an optimisation loop publishes so the console can show it live: its stages as they start and end, its
/// candidates as they are planned, verified and measured, the verifier's reports and the cost. Every call is cheap and
/// thread-safe; a loop that nobody watches can call it all the same.
/// </summary>
public interface IOptimizationLoopFeed
{
    /// <summary>A loop started; calling it again (once the metric is known) updates the header and keeps the reports.</summary>
    /// <param name="loopId">Its run id (letters, digits, <c>._:-</c>, at most 64 characters).</param>
    /// <param name="workload">The workload.</param>
    /// <param name="metric">The primary KPI.</param>
    /// <param name="higherIsBetter">Whether a larger value is better.</param>
    void LoopStarted(string loopId, string workload, string metric, bool higherIsBetter);

    /// <summary>A stage changed (added on first report).</summary>
    /// <param name="loopId">The loop.</param>
    /// <param name="stage">The stage.</param>
    void StageChanged(string loopId, LoopStageView stage);

    /// <summary>A candidate was planned or its measurement or verdict changed (replaces the one with the same label).</summary>
    /// <param name="loopId">The loop.</param>
    /// <param name="candidate">The candidate.</param>
    void CandidateChanged(string loopId, CandidateView candidate);

    /// <summary>The verifier reported on a candidate.</summary>
    /// <param name="loopId">The loop.</param>
    /// <param name="report">The report.</param>
    void VerifierReported(string loopId, VerifierReportView report);

    /// <summary>The cost so far, per stage.</summary>
    /// <param name="loopId">The loop.</param>
    /// <param name="stages">The cost of each stage.</param>
    void CostReported(string loopId, IReadOnlyList<CostView> stages);

    /// <summary>The loop ended.</summary>
    /// <param name="loopId">The loop.</param>
    /// <param name="outcome">How, in a line (best candidate and verdict, or the failure).</param>
    void LoopFinished(string loopId, string outcome);
}
