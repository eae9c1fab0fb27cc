using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Agents.Runtime.Orchestration.Scoring;
using SchedCP.Agents.Runtime.Orchestration.Simulation;
using SchedCP.Agents.Runtime.Orchestration.Tasks;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class OrchestrationReplayTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void A_recorded_simulated_run_with_interruptions_replays_to_the_same_decisions()
    {
        var log = RecordSimulation(out var result);
        Assert.True(result.Interruptions > 0, "the seed should produce spot interruptions");

        var divergence = OrchestrationReplay.Verify(log, journal =>
            new DagOrchestrator(LayeredDagGenerator.StandardPools(12), new OrchestratorOptions(), journal: journal));

        Assert.Null(divergence);
    }

    [Fact]
    public void Replaying_with_different_weights_reports_the_first_decision_that_differs()
    {
        var log = RecordSimulation(out _);
        var costOnly = new ScoringProfile([new WeightedScorer(new CostScorer(), 1.0)]);

        var divergence = OrchestrationReplay.Verify(log, journal =>
            new DagOrchestrator(LayeredDagGenerator.StandardPools(12), new OrchestratorOptions { Scoring = costOnly }, journal: journal));

        Assert.NotNull(divergence);
        // A different placement shows first as the task's move to Scheduled, then as its decision.
        Assert.Contains(divergence.Expected!.Kind, new[] { OrchestrationEventKinds.Transition, OrchestrationEventKinds.Decision });
        Assert.NotNull(divergence.Actual);
    }

    [Fact]
    public async Task Tasks_run_as_agents_on_the_runtime_and_the_whole_run_replays_exactly()
    {
        var log = new InMemoryEventLog();
        using (var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider(Start), log))
        {
            using var orchestrator = new DagOrchestrator([new LocalPool("local", cpu: 2, memoryGb: 8)], journal: OrchestrationJournal.Of(runtime), timeProvider: new FakeTimeProvider(Start));
            orchestrator.Submit(Diamond()).GetValueOrThrow();
            var report = await AgentTaskRunner.RunAsync(runtime, orchestrator, Body);

            Assert.True(orchestrator.IsFinished);
            Assert.All(orchestrator.Tasks, t => Assert.Contains(t.History, h => h.To == TaskState.Completed));
            Assert.Equal(2, orchestrator.GetTask("flaky")!.Attempts);
            Assert.Contains(report.Agents, a => a.Id == "flaky#1" && a.State == AgentState.Failed);
            Assert.Equal("validated", runtime.Memory.Get("merge#1").Summary);
        }

        var recorded = log.ReadAll();
        Assert.Contains(recorded, e => e.Kind == OrchestrationEventKinds.Decision && e.Subject == "merge");
        Assert.Contains(recorded, e => e.Kind == "agent.memory" && e.AgentId == "merge#1");

        using var replay = AgentRuntime.ForReplay(_workspace.Options(), recorded);
        using var again = new DagOrchestrator([new LocalPool("local", cpu: 2, memoryGb: 8)], journal: OrchestrationJournal.Of(replay));
        again.Submit(Diamond()).GetValueOrThrow();
        var replayed = await AgentTaskRunner.RunAsync(replay, again, Body);

        Assert.Null(replayed.Divergence);
    }

    private static AgentBody Body(TaskSpec task) => async (ctx, ct) =>
    {
        await ctx.YieldAsync();
        if (task.Id == "flaky" && ctx.AgentId.EndsWith("#1", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("first attempt of flaky fails");
        }

        ctx.Memory.UpdateSummary(ctx.AgentId, "validated").GetValueOrThrow();
        _ = ctx.GetUtcNow();
    };

    private static TaskDag Diamond() => new TaskDagBuilder("diamond")
        .Task("fetch", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
        .Task("flaky", t => t.After("fetch").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(3)))
        .Task("lint", t => t.After("fetch").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
        .Task("merge", t => t.After("flaky", "lint").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
        .Build().GetValueOrThrow();

    private static IReadOnlyList<RuntimeEvent> RecordSimulation(out SimulationResult result)
    {
        var clock = new SimulationClock(Start);
        var log = new InMemoryEventLog();
        using var orchestrator = new DagOrchestrator(LayeredDagGenerator.StandardPools(12), new OrchestratorOptions(), clock, OrchestrationJournal.Recording(log, clock));
        orchestrator.Submit(LayeredDagGenerator.Generate(40, seed: 7)).GetValueOrThrow();
        result = new DagSimulation(orchestrator, clock, new SimulationSettings(Seed: 7, DurationNoise: 0.3, SpotInterruptionsPerHour: 6)).Run();
        return log.ReadAll();
    }
}
