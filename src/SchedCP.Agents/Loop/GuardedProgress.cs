using Microsoft.Extensions.Logging;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>Every registered <see cref="IOptimizationProgress"/> in turn; one that throws is logged and skipped, so watching never breaks a run.</summary>
internal sealed class GuardedProgress(IReadOnlyList<IOptimizationProgress> observers, ILogger logger) : IOptimizationProgress
{
    public void LoopStarted(string runId, string workload, PrimaryKpi? kpi) => Each(nameof(LoopStarted), o => o.LoopStarted(runId, workload, kpi));

    public void RuntimeCreated(string runId, AgentRuntime runtime) => Each(nameof(RuntimeCreated), o => o.RuntimeCreated(runId, runtime));

    public void StageChanged(string runId, string stage, OptimizationStageStatus status, string? detail) => Each(nameof(StageChanged), o => o.StageChanged(runId, stage, status, detail));

    public void CandidateChanged(string runId, CandidateSpec candidate, CandidateOutcome? outcome) => Each(nameof(CandidateChanged), o => o.CandidateChanged(runId, candidate, outcome));

    public void VerifierReported(string runId, string candidate, IReadOnlyList<VerifierVerdict> verdicts) => Each(nameof(VerifierReported), o => o.VerifierReported(runId, candidate, verdicts));

    public void CostReported(string runId, CostReport cost) => Each(nameof(CostReported), o => o.CostReported(runId, cost));

    public void LoopFinished(string runId, string outcome) => Each(nameof(LoopFinished), o => o.LoopFinished(runId, outcome));

    private void Each(string call, Action<IOptimizationProgress> notify)
    {
        foreach (var observer in observers)
        {
            try
            {
                notify(observer);
            }
#pragma warning disable CA1031 // An observer's bug is its own: the run it watches goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                AgentLog.ProgressObserverFailed(logger, e, observer.GetType().Name, call);
            }
        }
    }
}
