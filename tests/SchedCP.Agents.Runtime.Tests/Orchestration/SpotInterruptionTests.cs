using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Agents.Runtime.Orchestration.Tasks;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class SpotInterruptionTests
{
    private static readonly CloudInstanceType Medium = new("medium", 4, 16, 0.20m, 0.06m, TimeSpan.FromSeconds(90));

    [Fact]
    public void A_critical_task_interrupted_on_spot_is_rescheduled_on_demand()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var cloud = new SimulatedCloudPool("cloud", Medium, maxInstances: 3);
        // Threshold 1.0 lets even critical tasks start on spot, so the fallback is what is tested.
        using var orchestrator = new DagOrchestrator([cloud], new OrchestratorOptions { SpotUrgencyThreshold = 1.0 }, clock);
        orchestrator.Submit(Chain()).GetValueOrThrow();

        var first = orchestrator.Tick().Placements.Single();
        Assert.Equal(Pricing.Spot, first.Claim.Pricing);
        clock.Advance(TimeSpan.FromSeconds(90));
        orchestrator.MarkStarted("build").GetValueOrThrow();
        clock.Advance(TimeSpan.FromMinutes(5));

        var affected = orchestrator.ReportInterruption("cloud", first.Claim.InstanceId).GetValueOrThrow();

        Assert.Equal(["build"], affected);
        var run = orchestrator.GetTask("build")!;
        Assert.Equal(TaskState.Retrying, run.State);
        Assert.True(run.AvoidSpot);
        Assert.Contains("on-demand", run.History[^1].Reason, StringComparison.Ordinal);
        var retry = orchestrator.Tick();
        var second = retry.Placements.Single();
        Assert.Equal("build", second.TaskId);
        Assert.Equal(Pricing.OnDemand, second.Claim.Pricing);
        var decision = retry.Decisions.Single(d => d.TaskId == "build");
        Assert.Contains(decision.Candidates, c => c.Offer.Pricing == Pricing.Spot && c.ExcludedBecause!.Contains("interrupted", StringComparison.Ordinal));
        // Five minutes of a 20-minute spot run were paid for.
        Assert.Equal(Math.Round(0.06m * (20m + 1.5m) / 60m * 0.25m, 6), orchestrator.Budget.SpentByTask["build"]);
    }

    [Fact]
    public void A_non_critical_task_interrupted_on_spot_may_use_spot_again()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var cloud = new SimulatedCloudPool("cloud", Medium, maxInstances: 3);
        using var orchestrator = new DagOrchestrator([cloud], new OrchestratorOptions(), clock);
        var dag = new TaskDagBuilder("side")
            .Task("long", t => t.RunsOn(ResourceKind.Cloud, TimeSpan.FromHours(2)))
            .Task("short", t => t.RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(10)))
            .Build().GetValueOrThrow();
        orchestrator.Submit(dag).GetValueOrThrow();

        var placements = orchestrator.Tick().Placements.ToDictionary(p => p.TaskId, p => p.Claim);
        Assert.Equal(Pricing.OnDemand, placements["long"].Pricing);
        Assert.Equal(Pricing.Spot, placements["short"].Pricing);
        orchestrator.ReportInterruption("cloud", placements["short"].InstanceId).GetValueOrThrow();

        Assert.False(orchestrator.GetTask("short")!.AvoidSpot);
        Assert.Equal(Pricing.Spot, orchestrator.Tick().Placements.Single().Claim.Pricing);
    }

    [Fact]
    public void A_task_out_of_attempts_fails_and_its_dependents_are_cancelled()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var cloud = new SimulatedCloudPool("cloud", Medium, maxInstances: 1);
        using var orchestrator = new DagOrchestrator([cloud], new OrchestratorOptions { SpotUrgencyThreshold = 1.0 }, clock);
        var dag = new TaskDagBuilder("fragile")
            .Task("build", t => t.RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(20)).Retry(1))
            .Task("test", t => t.After("build").RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(5)))
            .Task("ship", t => t.After("test").RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(1)))
            .Build().GetValueOrThrow();
        orchestrator.Submit(dag).GetValueOrThrow();
        var claim = orchestrator.Tick().Placements.Single().Claim;
        orchestrator.MarkStarted("build").GetValueOrThrow();

        orchestrator.ReportInterruption("cloud", claim.InstanceId).GetValueOrThrow();

        Assert.Equal(TaskState.Failed, orchestrator.GetTask("build")!.History[^2].To);
        Assert.Contains("no attempts left of 1", orchestrator.GetTask("build")!.History[^2].Reason, StringComparison.Ordinal);
        Assert.Equal(TaskState.Cancelled, orchestrator.GetTask("ship")!.History[^2].To);
        Assert.True(orchestrator.IsFinished);
        Assert.All(orchestrator.Tasks, t => Assert.Equal(TaskState.Archived, t.State));
    }

    [Fact]
    public void An_unknown_instance_is_reported_as_not_found()
    {
        using var orchestrator = new DagOrchestrator([new SimulatedCloudPool("cloud", Medium, 1)], timeProvider: new FakeTimeProvider());
        orchestrator.Submit(Chain()).GetValueOrThrow();
        Assert.Equal(RuntimeErrorCode.NotFound, orchestrator.ReportInterruption("cloud", "cloud/i-99").Failure!.Kind);
        Assert.Equal(RuntimeErrorCode.NotFound, orchestrator.ReportInterruption("nowhere", "x").Failure!.Kind);
    }

    private static TaskDag Chain() => new TaskDagBuilder("chain")
        .Task("build", t => t.RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(20)))
        .Task("test", t => t.After("build").RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(5)))
        .Build().GetValueOrThrow();
}
