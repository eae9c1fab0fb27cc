using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Console.Feed;
using SchedCP.Console.Replay;

namespace SchedCP.Console.Api;

/// <summary>Reads the feed's live objects into the API's records; the pages render the same records.</summary>
internal static class ConsoleSnapshots
{
    public static IReadOnlyList<AgentDto> Agents(string runtimeId, AgentRuntime runtime) =>
        [.. runtime.Agents.Select(a => new AgentDto(runtimeId, a.Id, a.State.ToString(), a.FailureReason, a.ChangeSet.Changes.Count))];

    public static LocksDto Locks(string runtimeId, AgentRuntime runtime) => new(
        runtimeId,
        [.. runtime.Locks.GetLeases().OrderBy(l => l.LeaseId).Select(l => new LeaseDto(l.LeaseId, l.HolderId, [.. l.Claims.Select(c => c.ToString())], l.FencingToken, l.ExpiresAt))],
        [.. runtime.Locks.GetWaiters().Select((w, i) => new WaiterDto(i + 1, w.RequestId, w.HolderId, [.. w.Claims.Select(c => c.ToString())], w.EnqueuedAt))]);

    public static ChangeSetDto? Changes(string runtimeId, AgentRuntime runtime, string agentId) =>
        runtime.Agents.FirstOrDefault(a => a.Id == agentId) is { } agent
            ? new ChangeSetDto(runtimeId, agent.Id, agent.ChangeSet.Status.ToString(), [.. agent.ChangeSet.Changes.Select(Change)])
            : null;

    public static StoredRunDto StoredRun(AgentRunRecord run) =>
        new(run.RuntimeId, run.AgentId, run.State.ToString(), run.FailureReason, run.ChangeSetStatus.ToString(), [.. run.Changes.Select(Change)], run.UpdatedAt);

    public static StoredArtifactDto StoredArtifact(Artifact artifact) =>
        new(artifact.Id.Value, artifact.Kind.ToString(), artifact.ProducerId, artifact.Subject, artifact.MediaType, artifact.Content.Length, artifact.CreatedAt);

    public static DagDto Dag(string id, DagOrchestrator orchestrator)
    {
        var dag = orchestrator.Dag;
        var tasks = new List<DagTaskDto>();
        foreach (var spec in dag?.Tasks ?? [])
        {
            var run = orchestrator.GetTask(spec.Id);
            tasks.Add(new DagTaskDto(spec.Id, run?.State.ToString() ?? "Queued", spec.DependsOn, dag!.IsOnCriticalPath(spec.Id), run?.Attempts ?? 0, run?.Placement?.PoolId, run?.Placement?.Cost));
        }

        var budget = orchestrator.ProjectBudget();
        return new DagDto(id, dag?.Id, dag?.CriticalPathSeconds ?? 0, tasks, budget.Spent, budget.Committed, budget.RemainingEstimate, budget.Limit, budget.OverBudget, orchestrator.TickCount);
    }

    public static RunSummaryDto Summary(RecordedRun run) => new(run.Id, run.Events.Count, run.Live, run.Divergence is not null);

    public static EventDto Event(RuntimeEvent e) =>
        new(e.Sequence, e.Timestamp, e.Kind, e.AgentId, Cut(e.Subject), e.Output is null ? null : Cut(e.Output));

    public static ReplayStepDto Step(RecordedRun run, int step)
    {
        var state = RunTimeline.At(run, step);
        return new ReplayStepDto(run.Id, state.Step, state.Total, state.Current is null ? null : Event(state.Current),
            state.Agents.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal), state.Leases, state.Waiters, state.Diverged,
            RunTimeline.DivergenceStep(run), run.Divergence?.ToString());
    }

    private static FileChangeDto Change(FileChange change) => new(change.Path, change.Diff, change.FencingToken);

    private static string Cut(string text) => text.Length <= 2048 ? text : text[..2048] + "…";
}
