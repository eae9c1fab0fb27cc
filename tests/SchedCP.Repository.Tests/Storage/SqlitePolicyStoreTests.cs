using Microsoft.Data.Sqlite;

namespace SchedCP.Repository.Tests.Storage;

public class SqlitePolicyStoreTests
{
    private static SchedulerPolicy Generated(string name, string source = "/* fifo */ int x;") => new()
    {
        Name = name,
        Kind = PolicyKind.Generated,
        Description = "Longest job first for long-tail batch work.",
        Algorithm = "longest job first by learned runtime",
        TargetWorkloads = ["batch compression"],
        Requirements = new PolicyRequirements("6.12", ["sched_ext", "btf"], []),
        Source = PolicyArtifact.FromText(source, $"generated/{name}.bpf.c"),
        Provenance = new PolicyProvenance(PolicyOrigin.Generated, "run-42", "planning agent"),
        Parameters = [new ParameterSchema { Name = "slice_ns", Type = ParameterType.Duration, Unit = DurationUnit.Nanoseconds, Minimum = 1000, Maximum = 100_000_000, Default = "5000000", Rodata = "slice_ns", RodataType = RodataType.U64 }],
    };

    [Fact]
    public async Task New_database_is_migrated_to_the_latest_schema_in_wal_mode()
    {
        using var db = new TemporaryDatabase();
        var store = db.Store();
        await store.InitializeAsync();
        Assert.Equal(1, await store.GetSchemaVersionAsync());
        await using var connection = new SqliteConnection($"Data Source={db.Path}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public async Task Reopening_does_not_migrate_twice()
    {
        using var db = new TemporaryDatabase();
        await db.Store().InitializeAsync();
        var again = db.Store();
        await again.InitializeAsync();
        await using var connection = new SqliteConnection($"Data Source={db.Path}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM schema_version;";
        Assert.Equal(1L, cmd.ExecuteScalar());
    }

    [Fact]
    public async Task Policy_verdicts_and_transitions_round_trip()
    {
        using var db = new TemporaryDatabase();
        var store = db.Store();
        var policy = Generated("ljf_v1");
        var verdict = new VerifierVerdict("compile", true, "clang ok", "no warnings", db.Time.GetUtcNow());
        Assert.True(await store.TryInsertPolicyAsync(policy, [verdict], "submitted"));
        Assert.False(await store.TryInsertPolicyAsync(policy, [], "again"));

        var read = await db.Store().GetPolicyAsync("ljf_v1");
        Assert.NotNull(read);
        Assert.Equal(policy.Source, read.Source);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(policy, RepositoryJson.Options), System.Text.Json.JsonSerializer.Serialize(read, RepositoryJson.Options));
        Assert.Equal(policy.Provenance, read.Provenance);
        Assert.Equal([verdict], await store.GetVerdictsAsync("ljf_v1"));
        var transition = Assert.Single(await store.GetTransitionsAsync("ljf_v1"));
        Assert.Null(transition.From);
        Assert.Equal(PolicyLifecycle.Candidate, transition.To);
    }

    [Fact]
    public async Task Transition_is_refused_when_the_lifecycle_changed_meanwhile()
    {
        using var db = new TemporaryDatabase();
        var store = db.Store();
        await store.TryInsertPolicyAsync(Generated("ljf_v1"), [], "submitted");
        var t = new LifecycleTransition("ljf_v1", PolicyLifecycle.Candidate, PolicyLifecycle.Verified, "ok", null, db.Time.GetUtcNow());
        Assert.True(await store.TryTransitionAsync(t, []));
        Assert.False(await store.TryTransitionAsync(t, []));
        Assert.Equal(PolicyLifecycle.Verified, (await store.GetPolicyAsync("ljf_v1"))!.Lifecycle);
    }

    [Fact]
    public async Task Runs_round_trip_with_every_metric_and_duplicates_are_ignored()
    {
        using var db = new TemporaryDatabase();
        var store = db.Store();
        var profile = await store.UpsertProfileAsync(WorkloadProfile.Create("kernel build", new Dictionary<string, string> { ["kind"] = "build" }, db.Time.GetUtcNow()));
        var run = new RunRecord("r1", profile.Fingerprint, "scx_rusty", new Dictionary<string, string> { ["slice_us_underutil"] = "20000" }, "s1", 2, false,
            new RunMetrics(10.5, 200, 50, 95, 99.5, 0.75, 12), db.Time.GetUtcNow());
        Assert.Equal(1, await store.AddRunsAsync([run]));
        Assert.Equal(0, await store.AddRunsAsync([run]));
        var read = Assert.Single(await db.Store().GetRunsAsync(profile.Fingerprint));
        Assert.Equal(run with { Parameters = read.Parameters }, read);
        Assert.Equal(run.Parameters, read.Parameters);
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_database_reproduces_everything()
    {
        using var source = new TemporaryDatabase();
        var repository = source.Repository();
        var promotion = new PolicyPromotion(repository, null, source.Time);
        await promotion.SubmitCandidateAsync(Generated("bad_v1"), [new VerifierVerdict("kernel-verifier", false, "unbounded loop", "R1 invalid mem access", source.Time.GetUtcNow())]);
        var profile = await repository.RecordProfileAsync("kernel build", new Dictionary<string, string> { ["kind"] = "build" });
        await repository.RecordRunsAsync([
            new RunRecord("b1", profile.Fingerprint, RunRecord.BaselinePolicyName, new Dictionary<string, string>(), "s1", 0, true, new RunMetrics(MakespanSeconds: 100), source.Time.GetUtcNow()),
            new RunRecord("c1", profile.Fingerprint, "scx_rusty", new Dictionary<string, string>(), "s1", 0, false, new RunMetrics(MakespanSeconds: 60), source.Time.GetUtcNow())]);
        using var json = new MemoryStream();
        await repository.ExportJsonAsync(json);

        using var target = new TemporaryDatabase();
        var imported = target.Repository(target.Store());
        json.Position = 0;
        var result = await imported.ImportJsonAsync(json);
        Assert.True(result.Succeeded, result.Failure?.Message);

        var a = await source.Store().ExportAsync();
        var b = await target.Store().ExportAsync();
        Assert.Equal(a.Policies.Select(p => p.Name), b.Policies.Select(p => p.Name));
        Assert.Equal(a.Runs, b.Runs, (x, y) => x.RunId == y.RunId && x.Metrics == y.Metrics && x.IsBaseline == y.IsBaseline);
        Assert.Equal(a.Verdicts["bad_v1"], b.Verdicts["bad_v1"]);
        Assert.Equal(PolicyLifecycle.Rejected, b.Policies.Single(p => p.Name == "bad_v1").Lifecycle);
        Assert.Equal(1.0 * 100 / 60, (await imported.RankAsync(profile.Fingerprint, RankingMetric.Makespan)).Value![0].MeanRatio, 6);
    }

    [Fact]
    public async Task Import_of_a_document_with_an_invalid_policy_writes_nothing()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var snapshot = new RepositorySnapshot { Policies = [Generated("ok_v1"), Generated("Bad Name")] };
        using var json = new MemoryStream(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(snapshot, RepositoryJson.Options));
        var result = await repository.ImportJsonAsync(json);
        Assert.Equal(RepositoryErrorCode.InvalidImport, result.Failure!.Kind);
        Assert.Contains("Bad Name", result.Failure.Message, StringComparison.Ordinal);
        Assert.Null(await db.Store().GetPolicyAsync("ok_v1"));
    }

    [Fact]
    public async Task Built_in_catalog_is_seeded_once_and_keeps_local_promotions()
    {
        using var db = new TemporaryDatabase();
        var store = db.Store();
        await db.Repository(store).EnsureReadyAsync();
        var generation = await store.GetPolicyGenerationAsync();
        Assert.Equal(BuiltInCatalog.Catalog.Policies.Count, (await store.ListPoliciesAsync()).Count);
        await store.TryTransitionAsync(new LifecycleTransition("fifo", PolicyLifecycle.Candidate, PolicyLifecycle.Verified, "verified in sandbox", null, db.Time.GetUtcNow()), []);

        await db.Repository(db.Store()).EnsureReadyAsync();
        Assert.Equal(generation + 1, await store.GetPolicyGenerationAsync());
        Assert.Equal(PolicyLifecycle.Verified, (await store.GetPolicyAsync("fifo"))!.Lifecycle);
    }
}
