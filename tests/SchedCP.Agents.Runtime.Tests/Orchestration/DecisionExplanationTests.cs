using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class DecisionExplanationTests
{
    private static readonly CloudInstanceType Large = new("large", 8, 32, 0.40m, 0.12m, TimeSpan.FromSeconds(120));

    [Fact]
    public void A_placement_lists_every_candidate_with_each_scorers_score_and_the_winner_has_the_best_total()
    {
        using var orchestrator = Orchestrator(budget: null, out _);
        var decision = orchestrator.Tick().Decisions.Single(d => d.TaskId == "compile");

        Assert.True(decision.Placed);
        Assert.Equal(["latency", "cost", "fragmentation"], decision.ScorerNames);
        Assert.Equal(3, decision.Candidates.Count); // local, cloud on demand, cloud spot
        Assert.All(decision.Candidates, c => Assert.Equal(3, c.Scores.Count));
        Assert.All(decision.Candidates, c => Assert.Equal((0.6 * c.Scores[0]) + (0.3 * c.Scores[1]) + (0.1 * c.Scores[2]), c.Total, 9));
        Assert.Equal(decision.Candidates.Where(c => c.ExcludedBecause is null).Max(c => c.Total), decision.Winner!.Total);
        Assert.Contains("highest weighted score", decision.Reason, StringComparison.Ordinal);
        var text = decision.Explain();
        Assert.Contains("latency=", text, StringComparison.Ordinal);
        Assert.Contains("* " + decision.Winner.PoolId, text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_urgent_task_says_spot_was_ruled_out_by_its_urgency()
    {
        using var orchestrator = Orchestrator(budget: null, out _);
        var decision = orchestrator.Tick().Decisions.Single(d => d.TaskId == "compile");
        Assert.Contains(decision.Candidates, c => c.Offer.Pricing == Pricing.Spot && c.ExcludedBecause!.StartsWith("spot avoided: urgency 1.00", StringComparison.Ordinal));
    }

    [Fact]
    public void Over_budget_the_dear_winner_is_dropped_and_the_decision_says_it_downgraded()
    {
        // The fast cloud run costs about 0.11; a budget of 0.05 leaves only the slow free local run.
        using var orchestrator = Orchestrator(budget: 0.05m, out _);
        var decision = orchestrator.Tick().Decisions.Single(d => d.TaskId == "compile");

        Assert.Equal("local", decision.Winner!.PoolId);
        Assert.Contains("downgraded from cloud", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(decision.Candidates, c => c.ExcludedBecause is not null && c.ExcludedBecause.StartsWith("over budget", StringComparison.Ordinal));
    }

    [Fact]
    public void A_task_that_waits_says_why()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var orchestrator = new DagOrchestrator([new LocalPool("local", cpu: 2, memoryGb: 8)], timeProvider: clock);
        var dag = new TaskDagBuilder("narrow")
            .Task("a", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)).Requires(cpu: 2))
            .Task("b", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)).Requires(cpu: 2))
            .Build().GetValueOrThrow();
        orchestrator.Submit(dag).GetValueOrThrow();

        var tick = orchestrator.Tick();

        var waited = Assert.Single(tick.Decisions, d => !d.Placed);
        Assert.Contains("no capacity: every pool of kind Local is full", waited.Reason, StringComparison.Ordinal);
        Assert.Contains("waited", waited.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tasks_of_one_batch_share_a_spinning_up_instance_and_the_decision_says_so()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var cloud = new SimulatedCloudPool("cloud", Large, maxInstances: 4);
        using var orchestrator = new DagOrchestrator([cloud], new OrchestratorOptions { SpotUrgencyThreshold = 1.0 }, clock);
        var builder = new TaskDagBuilder("validations");
        for (var i = 0; i < 4; i++)
        {
            builder.Task($"validate-{i}", t => t.RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(10)).Batch("candidate-42"));
        }

        orchestrator.Submit(builder.Build().GetValueOrThrow()).GetValueOrThrow();
        var tick = orchestrator.Tick();

        Assert.Equal(4, tick.Placements.Count);
        Assert.Single(tick.Placements.Select(p => p.Claim.InstanceId).Distinct());
        Assert.Equal(3, tick.Decisions.Count(d => d.Reason.Contains("batched with batch 'candidate-42'", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_task_no_pool_can_run_is_refused_at_submission()
    {
        using var orchestrator = new DagOrchestrator([new LocalPool("local", 4, 8)], timeProvider: new FakeTimeProvider());
        var dag = new TaskDagBuilder("d").Task("review", t => t.RunsOn(ResourceKind.Human, TimeSpan.FromHours(1))).Build().GetValueOrThrow();

        var result = orchestrator.Submit(dag);

        Assert.Equal(RuntimeErrorCode.InvalidInput, result.Failure!.Kind);
        Assert.Contains("'review' (runs on Human)", result.Failure.Message, StringComparison.Ordinal);
    }

    private static DagOrchestrator Orchestrator(decimal? budget, out FakeTimeProvider clock)
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var orchestrator = new DagOrchestrator(
            [new LocalPool("local", cpu: 8, memoryGb: 32), new SimulatedCloudPool("cloud", Large, maxInstances: 2)],
            new OrchestratorOptions { Budget = budget }, clock);
        var dag = new TaskDagBuilder("build")
            .Task("compile", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(40)).RunsOn(ResourceKind.Cloud, TimeSpan.FromMinutes(15)))
            .Task("package", t => t.After("compile").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(2)))
            .Build().GetValueOrThrow();
        orchestrator.Submit(dag).GetValueOrThrow();
        return orchestrator;
    }
}
