using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Testing;

namespace SchedCP.Cli.Tests;

/// <summary>
/// <c>schedcp optimize</c> generates: on a workload whose history says every catalog policy the offline planner's rules
/// choose was measured and never beat EEVDF, the shipped CLI composes schedulers from code primitives, compiles them and
/// measures them side by side with EEVDF in the sandbox guest.
/// </summary>
[Trait("Category", "Sandbox")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OptimizeGenerateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-generate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SandboxFact]
    public async Task Optimize_composes_compiles_and_measures_new_schedulers_when_the_history_says_every_catalog_choice_lost()
    {
        var db = Path.Combine(_dir, "repo.db");
        var seeded = await SeedLossesAsync(db);

        var run = await Schedcp.RunAsync(_dir, "optimize", "longtail", "--db", db, "--candidates", "2", "--repeats", "2", "--json");

        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("observation").GetProperty("fingerprint").GetString() == seeded.Fingerprint,
            $"the run observed another workload profile than the seeded one ({seeded.Fingerprint}): {root.GetProperty("observation")}");
        var plan = Assert.Single(root.GetProperty("plans").EnumerateArray());
        Assert.True(plan.GetProperty("kind").GetString() == "generate", plan.ToString());
        Assert.Contains(plan.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("No catalog policy fits", StringComparison.Ordinal));

        var candidates = root.GetProperty("candidates").EnumerateArray().ToList();
        Assert.NotEmpty(candidates);
        foreach (var candidate in candidates)
        {
            var spec = candidate.GetProperty("spec");
            var policy = spec.GetProperty("policyName").GetString()!;
            Assert.DoesNotContain(policy, seeded.Policies);
            Assert.NotEmpty(spec.GetProperty("primitives").EnumerateArray());
            Assert.Contains("schedcp_" + policy, spec.GetProperty("source").GetString(), StringComparison.Ordinal);
            Assert.Contains(candidate.GetProperty("verdicts").EnumerateArray(), v => v.GetProperty("stage").GetString() == "compile" && v.GetProperty("passed").GetBoolean());
        }

        // Measured in the guest against EEVDF, whichever won: EEVDF's baseline moves between guests.
        var measured = candidates.Where(c => c.GetProperty("status").GetString() is "measured" or "screened").ToList();
        Assert.True(measured.Count > 0, string.Join("\n", candidates.Select(c => $"{c.GetProperty("spec").GetProperty("label")}: {c.GetProperty("status")}: {c.GetProperty("reason")}")));
        foreach (var candidate in measured)
        {
            var change = candidate.GetProperty("change");
            Assert.Equal("makespan_ms", change.GetProperty("kpi").GetString());
            Assert.True(change.GetProperty("current").GetProperty("count").GetInt32() > 0);
            Assert.True(change.GetProperty("baseline").GetProperty("count").GetInt32() > 0);
        }

        // The composed schedulers are kept in the repository with the primitives they were made of, and what was
        // measured of them is in the workload's history next to the catalog's losses.
        await using var services = Repository(db);
        var repository = services.GetRequiredService<PolicyRepository>();
        var history = (await repository.RankAsync(seeded.Fingerprint, RankingMetric.Makespan)).Value!;
        foreach (var candidate in candidates)
        {
            var name = candidate.GetProperty("spec").GetProperty("policyName").GetString()!;
            var kept = await repository.GetPolicyAsync(name);
            Assert.True(kept.Succeeded, kept.Failure?.Message);
            Assert.Equal(PolicyKind.Generated, kept.Value!.Kind);
            Assert.NotEmpty(kept.Value.Primitives);
            Assert.True(history.Any(r => r.PolicyName == name), $"{name} has no runs in the history: {string.Join(" ", root.GetProperty("lessons").EnumerateArray())}");
        }
    }

    /// <summary>
    /// Observes longtail as the CLI does (its profile is the history's key), then records, for every configuration the
    /// offline planner's rules choose for it, one session in which it ran slower than EEVDF.
    /// </summary>
    private static async Task<(string Fingerprint, IReadOnlySet<string> Policies)> SeedLossesAsync(string db)
    {
        await using var services = Repository(db);
        var repository = services.GetRequiredService<PolicyRepository>();
        // As `schedcp optimize longtail` runs it.
        var workload = BenchmarkWorkload.LongTail(shortTasks: 10, longTasks: 1, shortMs: 30, longMs: 300);
        var report = await services.GetRequiredService<ObservationAgent>().ObserveAsync(new OptimizationRequest(workload), null, new CostLedger());
        Assert.True(report.Failure is null, report.Failure?.Message);
        Assert.Equal(RankingMetric.Makespan, report.Kpi.Ranking);

        var chosen = OfflinePlanner.Plan(report, [], null, maxCandidates: 100);
        Assert.Equal(PlanKind.Reconfigure, chosen.Kind);
        var now = DateTimeOffset.UtcNow;
        var runs = new List<RunRecord>();
        foreach (var (spec, i) in chosen.Candidates.Select((s, i) => (s, i)))
        {
            var session = string.Create(CultureInfo.InvariantCulture, $"seeded-{i}");
            for (var repeat = 0; repeat < 3; repeat++)
            {
                runs.Add(new RunRecord($"{session}-eevdf-{repeat}", report.Fingerprint, RunRecord.BaselinePolicyName, new Dictionary<string, string>(), session, repeat, true, new RunMetrics(MakespanSeconds: 0.40 + (repeat * 0.01)), now));
                runs.Add(new RunRecord($"{session}-{repeat}", report.Fingerprint, spec.PolicyName, spec.Parameters, session, repeat, false, new RunMetrics(MakespanSeconds: 0.46 + (repeat * 0.01)), now));
            }
        }

        var recorded = await repository.RecordRunsAsync(runs);
        Assert.True(recorded.Succeeded, recorded.Failure?.Message);
        var ranked = await repository.RankAsync(report.Fingerprint, RankingMetric.Makespan);
        Assert.All(ranked.Value!, r => Assert.True(r.MeanRatio < 1, r.ToString()));
        return (report.Fingerprint, chosen.Candidates.Select(c => c.PolicyName).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The repository at <paramref name="db"/> and the Observation agent, registered as <c>schedcp optimize</c> registers them.</summary>
    private static ServiceProvider Repository(string db)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSchedCPKernel(sandbox => sandbox.CpuCount = 2);
        services.AddSchedCPRepository(o => o.DatabasePath = db);
        services.AddSchedCPAgents();
        return services.BuildServiceProvider();
    }
}
