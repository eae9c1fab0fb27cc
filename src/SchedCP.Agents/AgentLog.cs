using Microsoft.Extensions.Logging;

namespace SchedCP.Agents;

/// <summary>Source-generated log messages of sched-agent; event ids 2100-2199.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(2100, LogLevel.Information, "Observed {Workload}: goal {Goal}, {LongNames} long task name(s)")]
    public static partial void Observed(ILogger logger, string workload, string goal, int longNames);

    [LoggerMessage(2101, LogLevel.Information, "Planned {Kind} with {Candidates} candidate(s) by {Planner}")]
    public static partial void Planned(ILogger logger, PlanKind kind, int candidates, string planner);

    [LoggerMessage(2102, LogLevel.Information, "Candidate {Label}: {Status} — {Reason}")]
    public static partial void CandidateResult(ILogger logger, string label, CandidateStatus status, string reason);

    [LoggerMessage(2103, LogLevel.Information, "Round {Round}: {Arms} scheduler(s) side by side with EEVDF, {Repeats} repeat(s)")]
    public static partial void Round(ILogger logger, string round, int arms, int repeats);

    [LoggerMessage(2104, LogLevel.Warning, "The model's plan was not usable ({Problems}); the offline planner takes over")]
    public static partial void ModelPlanRejected(ILogger logger, string problems);

    [LoggerMessage(2105, LogLevel.Information, "Best for {Workload}: {Label}, {Kpi} x{Ratio:F3} against EEVDF ({Verdict})")]
    public static partial void Best(ILogger logger, string workload, string label, string kpi, double ratio, string verdict);

    [LoggerMessage(2106, LogLevel.Warning, "Optimising {Workload} failed ({Kind}): {Message}")]
    public static partial void Failed(ILogger logger, string workload, string kind, string message);

    [LoggerMessage(2107, LogLevel.Warning, "A progress observer ({Observer}) failed on {Call}; the loop goes on")]
    public static partial void ProgressObserverFailed(ILogger logger, Exception exception, string observer, string call);
}
