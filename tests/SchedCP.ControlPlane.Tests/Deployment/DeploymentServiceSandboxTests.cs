using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.ControlPlane.Deployment;
using SchedCP.Testing;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.StaticAnalysis;
using SchedCP.Verifier.Tokens;
using Xunit.Abstractions;

namespace SchedCP.ControlPlane.Tests.Deployment;

/// <summary>
/// Faults during a deployment, each in one boot of a sched_ext guest that plays the host: every one ends on the last
/// known-good scheduler, or EEVDF when there is none, with a journal record.
/// </summary>
[Trait("Category", "Sandbox")]
public sealed class DeploymentServiceSandboxTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-deploy-guest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Journal => Path.Combine(_dir, "deployments.jsonl");

    private (DeploymentService Service, DeploymentTokenIssuer Issuer, IKnownGoodStore Store) Build()
    {
        var services = new ServiceCollection();
        services.AddSchedCPKernel();
        services.AddSchedCPVerifier(b => b.UseStaticAnalysis(), ECDsa.Create(ECCurve.NamedCurves.nistP256), hostId: "deploy-guest");
        services.AddSchedCPControlPlane(o =>
        {
            o.KnownGoodPath = Path.Combine(_dir, "known-good.json");
            o.JournalPath = Journal;
        });
        var sp = services.BuildServiceProvider();
        var service = sp.GetRequiredService<DeploymentService>();
        Assert.Equal("sandbox", service.Where);
        return (service, sp.GetRequiredService<DeploymentTokenIssuer>(), sp.GetRequiredService<IKnownGoodStore>());
    }

    private static DeployableScheduler S(string name) => new(name, BuildOutputs.BpfObject(name), "schedcp_" + name);

    private static DeploymentRequest Request(DeploymentTokenIssuer issuer, DeployableScheduler s, CanaryFault fault) =>
        new(s, issuer.Issue(s.Name, DeploymentToken.Sha256OfFile(s.ObjectPath), null, s.Parameters, "sandbox:pass"), "test") { Fault = fault };

    private async Task<DeploymentOutcome> DeployAsync(DeployableScheduler candidate, CanaryFault fault, DeployableScheduler? knownGood)
    {
        var (service, issuer, store) = Build();
        if (knownGood is not null)
        {
            await store.WriteAsync(new KnownGoodRecord(knownGood, "earlier", DateTimeOffset.UnixEpoch, "sandbox"));
        }

        var outcome = await service.DeployAsync(Request(issuer, candidate, fault));
        output.WriteLine(outcome.ToString());
        output.WriteLine($"breaker {outcome.Canary?.Decision}, guest {outcome.Canary?.GuestTrip}, final {outcome.Canary?.FinalState}/{outcome.Canary?.FinalOps}");
        foreach (var t in await new JsonLinesCanaryJournal(Journal).ReadAllAsync())
        {
            output.WriteLine($"{t.Phase} {t.Running} {t.Reason}");
        }

        Assert.True(outcome.EndedSafe || outcome.Status == DeploymentStatus.Failed, outcome.ToString());
        return outcome;
    }

    private async Task<IReadOnlyList<CanaryTransition>> JournalAsync() => await new JsonLinesCanaryJournal(Journal).ReadAllAsync();

    [SandboxFact]
    public async Task A_loader_killed_mid_canary_ends_on_the_known_good_scheduler()
    {
        var outcome = await DeployAsync(S("vtime"), CanaryFault.KillLoader, knownGood: S("fifo"));

        Assert.Equal(DeploymentStatus.RolledBack, outcome.Status);
        Assert.Equal(CanaryTrip.Crashed, outcome.Canary!.Decision!.Trip);
        Assert.Equal("schedcp_fifo", outcome.Running);
        Assert.Contains(await JournalAsync(), t => t.Phase == CanaryPhase.RolledBack && t.Running == "schedcp_fifo");
    }

    [SandboxFact]
    public async Task A_scheduler_that_stalls_only_after_a_delay_is_caught_and_replaced_by_the_known_good_scheduler()
    {
        var outcome = await DeployAsync(S("late_stall"), CanaryFault.None, knownGood: S("fifo"));

        Assert.Equal(DeploymentStatus.RolledBack, outcome.Status);
        Assert.True(outcome.Canary!.Decision!.Trip is CanaryTrip.Stalled or CanaryTrip.Ejected, outcome.Canary.Decision.ToString());
        Assert.Equal("schedcp_fifo", outcome.Running);
        Assert.Equal("fifo", (await Build().Store.ReadAsync())!.Scheduler.Name);
        Assert.Contains(await JournalAsync(), t => t.Phase == CanaryPhase.RolledBack);
    }

    [SandboxFact]
    public async Task A_kpi_regression_well_past_the_limit_rolls_back_to_eevdf_when_no_scheduler_is_known_good()
    {
        var outcome = await DeployAsync(S("vtime"), CanaryFault.SlowKpi, knownGood: null);

        Assert.Equal(DeploymentStatus.RolledBack, outcome.Status);
        Assert.Equal(CanaryTrip.KpiRegression, outcome.Canary!.Decision!.Trip);
        Assert.Equal("EEVDF", outcome.Running);
        Assert.Null(await Build().Store.ReadAsync());
        Assert.Contains(await JournalAsync(), t => t.Phase == CanaryPhase.RolledBack && t.Running == "EEVDF");
    }

    [SandboxFact]
    public async Task A_power_loss_during_the_switch_ends_on_eevdf_and_keeps_the_known_good_record()
    {
        var outcome = await DeployAsync(S("vtime"), CanaryFault.PowerOff, knownGood: S("fifo"));

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        Assert.Equal("EEVDF", outcome.Running);
        Assert.Contains("rollback", outcome.Remedy, StringComparison.Ordinal);
        Assert.Equal("fifo", (await Build().Store.ReadAsync())!.Scheduler.Name);
        Assert.Contains(await JournalAsync(), t => t.Phase == CanaryPhase.RolledBack && t.Reason.Contains("cut off", StringComparison.Ordinal));
    }
}
