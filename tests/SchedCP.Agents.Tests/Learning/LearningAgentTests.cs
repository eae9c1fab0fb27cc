using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Agents.Tests.Learning;

/// <summary>What the Learning agent writes into the history after a round; nothing boots, the round's runs are given.</summary>
public sealed class LearningAgentTests
{
    [Fact]
    public async Task A_composed_scheduler_is_kept_with_its_primitives_parameters_and_its_runs_rank_against_the_same_guests_eevdf()
    {
        using var repo = Observations.Repository();
        var report = await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch()) with { Metrics = ["makespan_ms"] };
        var composed = OfflinePlanner.Composed(report).First();
        // A model's own source has no schema: runs with parameters cannot be checked, so they are refused alone.
        var written = new CandidateSpec("custom", "gen_custom", new Dictionary<string, string> { ["slice_ns"] = "3000000" }) { Source = composed.Source };
        var execution = Round(composed, written);

        var lessons = await new LearningAgent(repo.Repository, new PolicyPromotion(repo.Repository))
            .LearnAsync("run-1", report, execution, null, new CostLedger());

        var kept = await repo.Repository.GetPolicyAsync(composed.PolicyName);
        Assert.Equal(PolicyKind.Generated, kept.Value!.Kind);
        Assert.Equal(composed.Primitives, kept.Value.Primitives);
        Assert.Contains(kept.Value.Parameters, p => p.Name == "slice_ns");
        var ranked = (await repo.Repository.RankAsync(report.Fingerprint, RankingMetric.Makespan)).Value!;
        var ljf = Assert.Single(ranked);
        Assert.Equal(composed.PolicyName, ljf.PolicyName);
        Assert.Equal(0.8, ljf.MeanRatio, 3);
        Assert.Contains(lessons, l => l.StartsWith("Recorded 2 runs, EEVDF baselines included,", StringComparison.Ordinal));
        Assert.Contains(lessons, l => l.StartsWith($"Recorded 2 runs of {composed.PolicyName}", StringComparison.Ordinal));
        Assert.Contains(lessons, l => l.StartsWith("History of gen_custom not recorded:", StringComparison.Ordinal));
    }

    /// <summary>One healthy round in one guest: EEVDF at 400 ms, each candidate at 500 ms, two repeats each.</summary>
    private static ExecutionResult Round(params CandidateSpec[] specs)
    {
        var workload = Observations.LongTail;
        SchedulerArm Arm(string label, SchedulerUnderTest? scheduler, double makespanMs) => new(label, scheduler,
            [.. Enumerable.Range(0, 2).Select(i => new WorkloadRun(workload, i, new WorkloadResult(workload.Name, new Dictionary<string, double> { ["makespan_ms"] = makespanMs }, [], "{}"), null, ""))],
            true, true, null);
        var candidates = specs.Select(s => new MaterializedCandidate(s, new BpfObjectScheduler(s.PolicyName + ".o"),
            new VerificationReport(new VerificationCandidate(s.PolicyName), [], s.PolicyName + ".o"), s.PolicyName + ".o")).ToArray();
        var session = new SideBySideSession([Arm("EEVDF", null, 400), .. candidates.Select(c => Arm(c.Spec.Label, c.Scheduler, 500))], null, null);
        var outcomes = specs.Select(s => new CandidateOutcome(s, CandidateStatus.Measured, "measured", null, null)
        {
            Verdicts = [new VerifierVerdict("compile", true, "compiled", "", DateTimeOffset.UnixEpoch)],
        }).ToArray();
        return new ExecutionResult(outcomes, null, null, [new EvaluationRound("final", candidates, session)]);
    }
}
