using SchedCP.Agents;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Console.Api;
using SchedCP.Kernel.Analysis;
using SchedCP.Repository;

namespace SchedCP.Console.Feed;

/// <summary>
/// Shows <see cref="OptimizationLoop"/> runs on the console: maps each <see cref="IOptimizationProgress"/> call onto
/// <see cref="IOptimizationLoopFeed"/> (the loop pages) and attaches the run's agent runtime (the agents and locks pages).
/// <c>AddSchedCPConsole</c> registers it; a host with its own loop services registers it there too
/// (<c>services.AddSingleton&lt;IOptimizationProgress&gt;(console.LoopProgress)</c>).
/// </summary>
public sealed class ConsoleLoopProgress : IOptimizationProgress
{
    private readonly IOptimizationLoopFeed _loops;
    private readonly ConsoleFeed? _feed;

    /// <summary>Publishes loops to <paramref name="loops"/>; runtimes are attached when it is a <see cref="ConsoleFeed"/>.</summary>
    /// <param name="loops">Where the loops go.</param>
    public ConsoleLoopProgress(IOptimizationLoopFeed loops)
    {
        _loops = loops ?? throw new ArgumentNullException(nameof(loops));
        _feed = loops as ConsoleFeed;
    }

    /// <inheritdoc />
    public void LoopStarted(string runId, string workload, PrimaryKpi? kpi) =>
        _loops.LoopStarted(Id(runId), workload, kpi?.Metric ?? "", kpi?.Direction == KpiDirection.HigherIsBetter);

    /// <inheritdoc />
    public void RuntimeCreated(string runId, AgentRuntime runtime) => _feed?.AttachRuntime(Id(runId), runtime);

    /// <inheritdoc />
    public void StageChanged(string runId, string stage, OptimizationStageStatus status, string? detail) =>
        _loops.StageChanged(Id(runId), new LoopStageView(stage, status switch
        {
            OptimizationStageStatus.Running => LoopStageStatus.Running,
            OptimizationStageStatus.Done => LoopStageStatus.Done,
            OptimizationStageStatus.Failed => LoopStageStatus.Failed,
            _ => LoopStageStatus.Skipped,
        }, detail));

    /// <inheritdoc />
    public void CandidateChanged(string runId, CandidateSpec candidate, CandidateOutcome? outcome)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var change = outcome?.Change;
        _loops.CandidateChanged(Id(runId), new CandidateView(
            candidate.Label, candidate.PolicyName, outcome?.Status.ToString().ToLowerInvariant() ?? "planned",
            change?.Baseline.Mean, change?.Current.Mean,
            change?.Verdict switch { KpiVerdict.Better => CandidateView.Better, KpiVerdict.Worse => "worse", KpiVerdict.Equal => "no significant change", _ => null },
            outcome?.Reason ?? (candidate.Rationale.Length == 0 ? null : candidate.Rationale)));
    }

    /// <inheritdoc />
    public void VerifierReported(string runId, string candidate, IReadOnlyList<VerifierVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        _loops.VerifierReported(Id(runId), new VerifierReportView(candidate, verdicts.All(v => v.Passed), [.. verdicts.Select(v => new VerifierStageView(v.Stage, v.Passed, v.Reason))]));
    }

    /// <inheritdoc />
    public void CostReported(string runId, CostReport cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        _loops.CostReported(Id(runId), [.. cost.Stages.Select(s => new CostView(s.Stage, s.Wall.TotalSeconds, s.ModelCalls, s.InputTokens + s.OutputTokens, s.Cost))]);
    }

    /// <inheritdoc />
    public void LoopFinished(string runId, string outcome) => _loops.LoopFinished(Id(runId), outcome);

    // A run id carries the workload's name, which for a command can hold any character: the console's id keeps the safe ones.
    private static string Id(string runId)
    {
        var safe = new string([.. (runId ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' ? c : '-')]).TrimStart('.', '_', ':', '-');
        safe = safe.Length == 0 ? "loop" : safe;
        return safe.Length <= ConsoleIds.MaxLength ? safe : safe[^ConsoleIds.MaxLength..].TrimStart('.', '_', ':', '-');
    }
}
