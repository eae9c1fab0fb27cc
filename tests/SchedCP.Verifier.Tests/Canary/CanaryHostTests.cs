using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Kernel.Sandbox;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Verifier.Tests.Canary;

public sealed class CanaryHostTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly string _dir = Directory.CreateTempSubdirectory("canary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CanaryCircuitBreaker Breaker(double? baseline = 100) => new("schedcp_fifo", baseline, new CanaryOptions(), _time);

    private static CanaryObservation Healthy(double kpi = 100) => new("enabled", "schedcp_fifo", true, kpi);

    [Fact]
    public void Breaker_promotes_after_probation_when_healthy()
    {
        var b = Breaker();
        for (var i = 0; i < 11; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(0.5));
            Assert.Equal(CanaryDecision.Continue, b.Observe(Healthy()));
        }

        _time.Advance(TimeSpan.FromSeconds(0.5));
        var d = b.Observe(Healthy());
        Assert.True(d.Promote);
        Assert.Same(d, b.Observe(new CanaryObservation("disabled", "", false, null)));
    }

    [Fact]
    public void Breaker_trips_on_ejection_crash_and_ops_change()
    {
        Assert.Equal(CanaryTrip.Ejected, Breaker().Observe(new("disabled", "", false, null) { LoaderReportedExit = true }).Trip);
        Assert.Equal(CanaryTrip.Ejected, Breaker().Observe(new("enabled", "other_ops", true, null)).Trip);
        Assert.Equal(CanaryTrip.Crashed, Breaker().Observe(new("disabled", "", false, null)).Trip);
    }

    [Fact]
    public void Breaker_trips_on_a_stall_only_after_the_timeout()
    {
        var b = Breaker();
        _time.Advance(TimeSpan.FromSeconds(2.4));
        Assert.Equal(CanaryTrip.None, b.Tick().Trip);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        var d = b.Tick();
        Assert.Equal(CanaryTrip.Stalled, d.Trip);
        Assert.Contains("2.6", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Breaker_trips_when_most_recent_probes_regress_not_on_one()
    {
        var b = Breaker(baseline: 100);
        Assert.Equal(CanaryTrip.None, b.Observe(Healthy(160)).Trip);
        Assert.Equal(CanaryTrip.None, b.Observe(Healthy(120)).Trip);
        Assert.Equal(CanaryTrip.None, b.Observe(Healthy(151)).Trip);
        var d = b.Observe(Healthy(170));
        Assert.Equal(CanaryTrip.KpiRegression, d.Trip);
        Assert.Contains("3 of the last 4", d.Reason, StringComparison.Ordinal);
        Assert.Equal(CanaryTrip.None, Breaker(baseline: null).Observe(Healthy(10_000)).Trip);
    }

    [Fact]
    public void Breaker_rides_out_bursts_of_two_slow_probes_that_a_busy_host_causes()
    {
        var b = Breaker(baseline: 100);
        double[] kpis = [240, 230, 100, 105, 98, 250, 260, 101, 99, 102, 240, 95, 97, 245];
        foreach (var kpi in kpis)
        {
            Assert.Equal(CanaryTrip.None, b.Observe(Healthy(kpi)).Trip);
        }
    }

    [Fact]
    public void Options_that_can_never_trip_are_refused_when_the_breaker_is_built()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CanaryCircuitBreaker("ops", 100, new CanaryOptions { KpiWindow = 3, RegressedSamplesToTrip = 4 }));
        Assert.Contains("KpiWindow (3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journal_round_trips_transitions_and_names_a_broken_line()
    {
        var path = Path.Combine(_dir, "sub", "canary.jsonl");
        var journal = new JsonLinesCanaryJournal(path);
        var a = new CanaryTransition(_time.GetUtcNow(), "tok-1", "fifo", CanaryPhase.Canary, "schedcp_fifo", "attached", 12.5);
        var b = new CanaryTransition(_time.GetUtcNow(), "tok-1", "fifo", CanaryPhase.RolledBack, "EEVDF", "Ejected");
        await journal.AppendAsync(a);
        await journal.AppendAsync(b);
        Assert.Equal([a, b], await new JsonLinesCanaryJournal(path).ReadAllAsync());
        Assert.Contains("\"RolledBack\"", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        await File.AppendAllTextAsync(path, "{\"at\":\n");
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await journal.ReadAllAsync());
        Assert.Contains(":3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployer_refuses_missing_expired_tampered_and_foreign_tokens_and_journals_them()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var host = new MachineHostIdentity("guest-host");
        var obj = Path.Combine(_dir, "fifo.bpf.o");
        await File.WriteAllBytesAsync(obj, [1, 2, 3]);
        var sha = DeploymentToken.Sha256OfFile(obj);
        var issuer = new DeploymentTokenIssuer(key, host, _time);
        var good = issuer.Issue("fifo", sha, null, new Dictionary<string, string>(), "sandbox:pass");
        var foreign = new DeploymentTokenIssuer(ECDsa.Create(ECCurve.NamedCurves.nistP256), host, _time).Issue("fifo", sha, null, new Dictionary<string, string>(), "sandbox:pass");
        var otherHost = issuer.Issue("fifo", sha, null, new Dictionary<string, string>(), "sandbox:pass", "another-host");
        var tampered = good[..^3] + (good[^3] == 'A' ? 'B' : 'A') + good[^2..];
        var candidate = new DeployableScheduler("fifo", obj, "schedcp_fifo");
        var collection = new ServiceCollection();
        collection.AddSchedCPKernel();
        var services = collection.BuildServiceProvider();
        var journal = new JsonLinesCanaryJournal(Path.Combine(_dir, "j.jsonl"));
        var deployer = new CanaryDeployer(services.GetRequiredService<ISandboxRunner>(), new DeploymentTokenValidator(key, host, _time), journal, time: _time);
        _time.Advance(TimeSpan.FromHours(2));
        var expired = good;
        var outcomes = await deployer.DeployAsync([new(candidate, null), new(candidate, expired), new(candidate, tampered), new(candidate, foreign), new(candidate, otherHost)]);
        Assert.Equal(TokenRefusal.Missing, outcomes[0].Refusal);
        Assert.Equal(TokenRefusal.Expired, outcomes[1].Refusal);
        Assert.True(outcomes[2].Refusal is TokenRefusal.Tampered or TokenRefusal.Malformed, outcomes[2].Refusal.ToString());
        Assert.Equal(TokenRefusal.ForeignKey, outcomes[3].Refusal);
        Assert.NotEqual(TokenRefusal.None, outcomes[4].Refusal);
        var recorded = await journal.ReadAllAsync();
        Assert.Equal(5, recorded.Count);
        Assert.All(recorded, t => Assert.Equal(CanaryPhase.Refused, t.Phase));
    }
}
