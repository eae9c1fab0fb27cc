using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SchedCP.ControlPlane.Promotion;
using SchedCP.Repository;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;
using SchedCP.Verifier.Tokens;

namespace SchedCP.ControlPlane.Tests.Promotion;

public sealed class PromotionTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
    private readonly MachineHostIdentity _host = new("host-a");
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-promotion-").FullName;

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Issue(string? host = null) =>
        new DeploymentTokenIssuer(_key, _host, _time).Issue("fifo", new string('a', 64), null, new Dictionary<string, string>(), "static:pass", host);

    [Fact]
    public async Task Receipt_validator_accepts_genuine_receipts_and_refuses_others()
    {
        var receipts = new DeploymentReceiptValidator(new DeploymentTokenValidator(_key, _host, _time));
        var ok = await receipts.ValidateAsync(new DeploymentReceipt(Issue()), "fifo", new string('a', 64));
        Assert.True(ok.IsValid, ok.Reason);
        Assert.NotNull(ok.ReceiptId);
        var bad = await receipts.ValidateAsync(new DeploymentReceipt(Issue(host: "host-b")), "fifo", new string('a', 64));
        Assert.False(bad.IsValid);
        Assert.StartsWith("ForeignHost", bad.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdict_converts_to_the_repository_record_with_findings_first()
    {
        var v = new StageVerdict("static", false, "lost task", [new VerificationFinding("enqueue-drops-task", FindingSeverity.Error, "m", "r", new FindingLocation(Program: "p", Instruction: 3))], "log", new Dictionary<string, double>(), TimeSpan.Zero, DateTimeOffset.UnixEpoch);
        var r = v.ToRepositoryVerdict();
        Assert.Equal(("static", false, "lost task"), (r.Stage, r.Passed, r.Reason));
        Assert.StartsWith("Error [enqueue-drops-task] p+3: m", r.Log, StringComparison.Ordinal);
        Assert.EndsWith("\n\nlog", r.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_longer_than_the_record_keeps_its_end()
    {
        var log = new string('x', StageVerdict.MaxRecordedLog) + "the verifier's last line";
        var r = new StageVerdict("kernel", false, "rejected", [], log, new Dictionary<string, double>(), TimeSpan.Zero, DateTimeOffset.UnixEpoch).ToRepositoryVerdict();
        Assert.Equal(StageVerdict.MaxRecordedLog, r.Log.Length);
        Assert.EndsWith("the verifier's last line", r.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSchedCPControlPlane_registers_promotion_on_the_verifiers_tokens_once()
    {
        var services = new ServiceCollection();
        services.AddSchedCPRepository(o => o.DatabasePath = Path.Combine(_dir, "r.db"));
        services.AddSchedCPVerifier(b => b.UseStaticAnalysis(), _key, hostId: "host-a");
        services.AddSchedCPControlPlane();
        services.AddSchedCPControlPlane();
        using var sp = services.BuildServiceProvider();
        Assert.IsType<DeploymentReceiptValidator>(sp.GetRequiredService<IDeploymentReceiptValidator>());
        Assert.NotNull(sp.GetRequiredService<PolicyPromotion>());
        Assert.Single(services, d => d.ServiceType == typeof(PolicyPromotion));
        Assert.Single(services, d => d.ServiceType == typeof(IDeploymentReceiptValidator));
    }
}
