using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.DependencyInjection;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;
using SchedCP.Verifier.Tokens;
using Xunit.Abstractions;

namespace SchedCP.Verifier.Tests.Canary;

[Collection("Sandbox")]
[Trait("Category", "Sandbox")]
public sealed class CanaryFaultInjectionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _journal = Path.Combine(Path.GetTempPath(), $"canary-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_journal);

    [SandboxFact]
    public async Task Every_fault_during_a_canary_ends_on_the_known_good_scheduler_or_eevdf_in_one_boot()
    {
        var services = new ServiceCollection();
        services.AddSchedCPKernel();
        services.AddSchedCPVerifier(b => b.UseStaticAnalysis(), ECDsa.Create(ECCurve.NamedCurves.nistP256), hostId: "canary-guest").AddCanary(_journal, o =>
        {
            // The emulated guest forks slowly: a sampling round takes seconds, so the stall limit and probation are wider than on a real host.
            o.StallTimeout = TimeSpan.FromSeconds(8);
            o.Probation = TimeSpan.FromSeconds(12);
        });
        var sp = services.BuildServiceProvider();
        var issuer = sp.GetRequiredService<DeploymentTokenIssuer>();
        var deployer = sp.GetRequiredService<CanaryDeployer>();
        DeployableScheduler S(string name, string ops) => new(name, BpfObjects.Build(name), ops);
        string Token(DeployableScheduler s) => issuer.Issue(s.Name, DeploymentToken.Sha256OfFile(s.ObjectPath), null, s.Parameters, "gauntlet:pass");
        var fifo = S("fifo", "schedcp_fifo");
        var stall = S("stall", "schedcp_stall");
        var error = S("error", "schedcp_error");
        CanaryPlan[] plans =
        [
            new(fifo, Token(fifo)) { Fault = CanaryFault.KillLoader },
            new(stall, Token(stall), fifo),
            new(error, Token(error), fifo),
            new(fifo, Token(fifo)) { Fault = CanaryFault.CpuHog },
            new(fifo, Token(fifo)),
            new(fifo, Token(fifo)[..^4] + "AAAA"),
        ];

        var outcomes = await deployer.DeployAsync(plans);
        foreach (var o in outcomes)
        {
            output.WriteLine($"{o.Plan.Candidate.Name} fault={o.Plan.Fault} refusal={o.Refusal} breaker={o.Decision} guest={o.GuestTrip} final={o.FinalState}/{o.FinalOps}");
        }

        Assert.Equal(CanaryTrip.Crashed, outcomes[0].Decision!.Trip);
        Assert.True(outcomes[1].Decision!.Trip is CanaryTrip.Stalled or CanaryTrip.Ejected, outcomes[1].Decision!.ToString());
        Assert.Equal(CanaryTrip.Ejected, outcomes[2].Decision!.Trip);
        // Four CPU hogs per vCPU under a global FIFO slow the probe, and on the emulated guest they can delay the agent's own
        // sampling round past the stall limit first: either way the host got slower and the canary is rolled back.
        Assert.True(outcomes[3].Decision!.Trip is CanaryTrip.KpiRegression or CanaryTrip.Stalled, outcomes[3].Decision!.ToString());
        Assert.True(outcomes[4].Decision!.Promote, outcomes[4].Decision!.ToString());
        Assert.NotEqual(TokenRefusal.None, outcomes[5].Refusal);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(outcomes[i].EndedSafe, $"case {i}: {outcomes[i].FinalState}/{outcomes[i].FinalOps}");
            Assert.Equal(outcomes[i].Decision!.Trip, outcomes[i].GuestTrip);
        }

        Assert.Equal("disabled", outcomes[0].FinalState);
        Assert.Equal("schedcp_fifo", outcomes[1].FinalOps);
        Assert.Equal("schedcp_fifo", outcomes[2].FinalOps);
        Assert.Equal("disabled", outcomes[3].FinalState);
        var journal = await sp.GetRequiredService<ICanaryJournal>().ReadAllAsync();
        Assert.Equal(4, journal.Count(t => t.Phase == CanaryPhase.RolledBack));
        Assert.Single(journal, t => t.Phase == CanaryPhase.Promoted);
        Assert.Single(journal, t => t.Phase == CanaryPhase.Refused);
    }
}
