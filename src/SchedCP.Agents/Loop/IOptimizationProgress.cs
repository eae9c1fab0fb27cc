using SchedCP.Agents.Runtime.Agents;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>
/// What <see cref="OptimizationLoop"/> announces while it runs, for a host that shows it live (the operator console,
/// a progress bar). Register implementations in DI (<c>services.AddSingleton&lt;IOptimizationProgress, …&gt;()</c>);
/// the loop calls every one of them in turn. Calls are made on the loop's own tasks, so keep them cheap; an
/// implementation that throws is logged at Warning and the loop goes on.
/// </summary>
public interface IOptimizationProgress
{
    /// <summary>A run started (before observation, <paramref name="kpi"/> null) or its KPI became known (after observation).</summary>
    /// <param name="runId">The run's id, e.g. <c>longtail-20261206031500</c>; the same id in every call of this run.</param>
    /// <param name="workload">The workload's name.</param>
    /// <param name="kpi">The primary KPI once observation chose it, else null.</param>
    void LoopStarted(string runId, string workload, PrimaryKpi? kpi);

    /// <summary>The run created the agent runtime its roles run on (agents, leases, queues, change sets, events).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="runtime">The runtime; it is disposed when the run ends.</param>
    void RuntimeCreated(string runId, AgentRuntime runtime);

    /// <summary>A role (<c>observation</c>, <c>planning-1</c>, <c>execution-1</c>, <c>learning-1</c>, …) started or ended.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="stage">The role's agent id.</param>
    /// <param name="status">Where it is.</param>
    /// <param name="detail">What it did or why it failed or was skipped, in a line; null while running.</param>
    void StageChanged(string runId, string stage, OptimizationStageStatus status, string? detail);

    /// <summary>A candidate was planned (<paramref name="outcome"/> null) or came out of execution.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="candidate">The candidate.</param>
    /// <param name="outcome">What happened to it, or null when just planned.</param>
    void CandidateChanged(string runId, CandidateSpec candidate, CandidateOutcome? outcome);

    /// <summary>The verifier's stages on a candidate, once it ran on it.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="candidate">The candidate's label.</param>
    /// <param name="verdicts">Each stage's verdict, in the order they ran.</param>
    void VerifierReported(string runId, string candidate, IReadOnlyList<VerifierVerdict> verdicts);

    /// <summary>The cost so far, after each role.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cost">Cost per stage.</param>
    void CostReported(string runId, CostReport cost);

    /// <summary>The run ended.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="outcome">How, in a line: the best candidate and its verdict, no winner, or the failure.</param>
    void LoopFinished(string runId, string outcome);
}
