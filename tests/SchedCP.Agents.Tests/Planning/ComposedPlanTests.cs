using Microsoft.Extensions.DependencyInjection;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Testing;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Agents.Tests.Planning;

/// <summary>The offline planner generates: schedulers composed from primitives when no catalog policy fits.</summary>
public sealed class ComposedPlanTests
{
    [Fact]
    public async Task Offline_when_every_catalog_policy_the_rules_chose_lost_on_this_workload_it_composes_new_schedulers()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var lost = new[] { "longjob", "fifo" }.Select(p => new PolicyRanking(p, new Dictionary<string, string>(), RankingMetric.Makespan, 6, 2, 0.97, 0.02, 0.95, 0.99)).ToArray();

        var plan = OfflinePlanner.Plan(report, lost, null, 6, null);

        Assert.Equal(PlanKind.Generate, plan.Kind);
        Assert.Contains(plan.Reasons, r => r.Contains("No catalog policy fits", StringComparison.Ordinal));
        var ljf = plan.Candidates[0];
        Assert.Equal(["dsq_global", "order_ljf", "idle_default", "slice_fixed"], ljf.Primitives);
        Assert.Contains("order_ljf", ljf.Source, StringComparison.Ordinal);
        Assert.Contains("#define SCHED_NAME \"schedcp_gen_ljf\"", ljf.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_a_policy_that_won_once_still_fits_and_a_missing_one_does_not()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var mixed = new[]
        {
            new PolicyRanking("longjob", new Dictionary<string, string>(), RankingMetric.Makespan, 6, 2, 0.97, 0.02, 0.95, 0.99),
            new PolicyRanking("longjob", new Dictionary<string, string> { ["slice_ns"] = "2000000" }, RankingMetric.Makespan, 6, 2, 1.10, 0.02, 1.05, 1.15),
        };

        var kept = OfflinePlanner.Plan(report, mixed, null, 6, null);
        var nothingHere = OfflinePlanner.Plan(report, [], null, 6, new HashSet<string>(["vtime"]));

        Assert.Equal(PlanKind.Reconfigure, kept.Kind);
        Assert.Equal(PlanKind.Generate, nothingHere.Kind);
    }

    [BpfSourcesFact]
    public async Task Every_composed_candidate_compiles_and_passes_the_static_checks()
    {
        using var repo = Observations.Repository();
        var execution = new ExecutionAgent(repo.Repository,
            new VerifierPipelineBuilder().UseCompile(o => o.OutputDirectory = Path.Combine(repo.Directory, "objects")).UseStaticAnalysis().Build(),
            new WorkloadRunner(), new SandboxRunner(new SandboxOptions()),
            Microsoft.Extensions.Options.Options.Create(new ExecutionOptions { WorkDirectory = repo.Directory }));
        var latency = await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(BenchmarkWorkload.Wakeup()), Observations.Latency()) with { Metrics = ["p99_us"] };

        foreach (var spec in OfflinePlanner.Composed(await Describe(repo)).Concat(OfflinePlanner.Composed(latency)))
        {
            var (candidate, failure) = await execution.MaterializeAsync(spec, null, async (relative, text, ct) =>
            {
                var path = Path.Combine(repo.Directory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, text, ct);
                return path;
            }, CancellationToken.None);

            Assert.True(candidate is not null, $"{spec.Label}: {failure?.Reason}");
            Assert.Equal("compile:pass static:pass", candidate.Verification.Summary);
        }
    }

    private static async Task<ObservationReport> Describe(TemporaryRepository repo) =>
        await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch()) with { Metrics = ["makespan_ms"] };
}
