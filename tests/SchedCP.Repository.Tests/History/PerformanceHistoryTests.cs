namespace SchedCP.Repository.Tests.History;

public class PerformanceHistoryTests
{
    [Fact]
    public async Task Runs_with_parameters_outside_the_schema_are_refused_and_nothing_is_stored()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var profile = await repository.RecordProfileAsync("schbench", new Dictionary<string, string> { ["kind"] = "latency" });
        var now = db.Time.GetUtcNow();
        var result = await repository.RecordRunsAsync([
            new RunRecord("ok", profile.Fingerprint, "scx_rusty", new Dictionary<string, string>(), "s1", 0, false, new RunMetrics(LatencyP99Microseconds: 10), now),
            new RunRecord("bad", profile.Fingerprint, "scx_rusty", new Dictionary<string, string> { ["cache_level"] = "42" }, "s1", 0, false, new RunMetrics(LatencyP99Microseconds: 10), now)]);
        Assert.Equal(RepositoryErrorCode.InvalidRun, result.Failure!.Kind);
        Assert.Contains("cache_level", result.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(await db.Store().GetRunsAsync(profile.Fingerprint));
    }

    [Theory]
    [InlineData("eevdf", false)]
    [InlineData("scx_rusty", true)]
    public async Task Baseline_flag_and_policy_name_must_agree(string policy, bool isBaseline)
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var profile = await repository.RecordProfileAsync("w", new Dictionary<string, string> { ["k"] = "v" });
        var result = await repository.RecordRunsAsync([new RunRecord("r", profile.Fingerprint, policy, new Dictionary<string, string>(), "s", 0, isBaseline, new RunMetrics(1), db.Time.GetUtcNow())]);
        Assert.Equal(RepositoryErrorCode.InvalidRun, result.Failure!.Kind);
    }

    [Fact]
    public async Task Negative_or_non_finite_metrics_are_refused()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var profile = await repository.RecordProfileAsync("w", new Dictionary<string, string> { ["k"] = "v" });
        var result = await repository.RecordRunsAsync([new RunRecord("r", profile.Fingerprint, "scx_rusty", new Dictionary<string, string>(), "s", 0, false, new RunMetrics(double.NaN), db.Time.GetUtcNow())]);
        Assert.Contains("Makespan", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ranking_an_unknown_workload_is_a_typed_failure()
    {
        using var db = new TemporaryDatabase();
        var result = await db.Repository().RankAsync("wl-nothing", RankingMetric.Makespan);
        Assert.Equal(RepositoryErrorCode.UnknownWorkload, result.Failure!.Kind);
    }

    [Fact]
    public async Task Ranking_reads_back_the_recorded_session()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var profile = await repository.RecordProfileAsync("kernel build -j172", new Dictionary<string, string> { ["kind"] = "build" });
        var now = db.Time.GetUtcNow();
        var runs = new List<RunRecord>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(new RunRecord($"b{i}", profile.Fingerprint, "eevdf", new Dictionary<string, string>(), "s1", i, true, new RunMetrics(MakespanSeconds: 100 + i), now));
            runs.Add(new RunRecord($"l{i}", profile.Fingerprint, "scx_layered", new Dictionary<string, string>(), "s1", i, false, new RunMetrics(MakespanSeconds: 56 + i), now));
            runs.Add(new RunRecord($"r{i}", profile.Fingerprint, "scx_rusty", new Dictionary<string, string> { ["slice_us_underutil"] = "20ms" }, "s1", i, false, new RunMetrics(MakespanSeconds: 61 + i), now));
        }

        Assert.Equal(9, (await repository.RecordRunsAsync(runs)).Value);
        var ranking = (await repository.RankAsync(profile.Fingerprint, RankingMetric.Makespan)).GetValueOrThrow();
        Assert.Equal(["scx_layered", "scx_rusty"], ranking.Select(r => r.PolicyName));
        Assert.All(ranking, r => Assert.Equal(3, r.Samples));
    }
}
