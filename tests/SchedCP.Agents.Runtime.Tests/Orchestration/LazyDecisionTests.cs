using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Decisions;
using SchedCP.Agents.Runtime.Orchestration.Simulation;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

// Decision records and reasons are built when first read: reading them late must give what reading them at once gives.
public sealed class LazyDecisionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Explaining_a_decision_after_the_run_gives_the_text_it_gave_during_the_tick()
    {
        var early = Run(explainAtOnce: true);
        var late = Run(explainAtOnce: false);

        Assert.NotEmpty(early);
        Assert.Equal(early.Count, late.Count);
        for (var k = 0; k < early.Count; k++)
        {
            Assert.Equal(early[k].Text, late[k].Decision.Explain());
            Assert.Equal(early[k].Decision.Reason, late[k].Decision.Reason);
        }
    }

    [Fact]
    public void The_winner_is_one_of_the_candidates_and_the_best_admissible_one()
    {
        foreach (var (decision, _) in Run(explainAtOnce: false).Where(d => d.Decision.Placed))
        {
            Assert.Contains(decision.Candidates, c => ReferenceEquals(c, decision.Winner));
            Assert.Equal(decision.Candidates.Where(c => c.ExcludedBecause is null).Max(c => c.Total), decision.Winner!.Total);
            Assert.Contains($"of {decision.Candidates.Count} candidates", decision.Reason, StringComparison.Ordinal);
            Assert.Equal(decision, decision with { });
        }
    }

    [Fact]
    public void An_eagerly_built_copy_explains_the_same()
    {
        foreach (var (decision, _) in Run(explainAtOnce: false).Take(50))
        {
            var copy = new PlacementDecision(decision.TaskId, decision.Tick, decision.At, decision.Placed, decision.Winner, decision.Candidates,
                decision.ScorerNames, decision.Reason);
            Assert.Equal(decision.Explain(), copy.Explain());
            Assert.Equal(decision, copy);
        }
    }

    private static List<(PlacementDecision Decision, string? Text)> Run(bool explainAtOnce)
    {
        var clock = new SimulationClock(Start);
        using var orchestrator = new DagOrchestrator(LayeredDagGenerator.StandardPools(50), new OrchestratorOptions(), clock);
        orchestrator.Submit(LayeredDagGenerator.Generate(200, seed: 3)).GetValueOrThrow();
        var seen = new List<(PlacementDecision, string?)>();
        new DagSimulation(orchestrator, clock, new SimulationSettings(3, DurationNoise: 0.3, SpotInterruptionsPerHour: 1))
            .Run(report => seen.AddRange(report.Decisions.Select(d => (d, explainAtOnce ? d.Explain() : null))));
        return seen;
    }
}
