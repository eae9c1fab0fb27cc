using Microsoft.Extensions.DependencyInjection;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Tests.Pipeline;

public class VerifierPipelineTests
{
    private sealed class FixedStage(string name, bool passes) : IVerificationStage
    {
        public int Runs { get; private set; }

        public string Name => name;

        public ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default)
        {
            Runs++;
            return ValueTask.FromResult(new StageVerdict(name, passes, passes ? "ok" : "broken", [], "", new Dictionary<string, double>(), TimeSpan.Zero, DateTimeOffset.UnixEpoch));
        }
    }

    [Fact]
    public async Task Candidate_stops_at_the_first_failing_stage()
    {
        var a = new FixedStage("a", true);
        var b = new FixedStage("b", false);
        var c = new FixedStage("c", true);
        var report = await new VerifierPipelineBuilder().AddStage(a).AddStage(b).AddStage(c).Build().VerifyAsync(new VerificationCandidate("x"));
        Assert.False(report.Passed);
        Assert.Equal("b", report.FailedStage!.Stage);
        Assert.Equal(0, c.Runs);
        Assert.Equal("a:pass b:fail", report.Summary);
    }

    [Fact]
    public void Empty_or_duplicate_pipelines_are_refused_at_build()
    {
        Assert.Throws<InvalidOperationException>(() => new VerifierPipelineBuilder().Build());
        Assert.Throws<InvalidOperationException>(() => new VerifierPipelineBuilder().AddStage(new FixedStage("a", true)).AddStage(new FixedStage("a", true)).Build());
    }

    [Fact]
    public void AddSchedCPVerifier_registers_the_pipeline_and_tokens_and_nothing_of_the_repository()
    {
        var services = new ServiceCollection();
        services.AddSchedCPVerifier(b => b.AddStage(new FixedStage("a", true)), hostId: "h");
        using var sp = services.BuildServiceProvider();
        Assert.Single(sp.GetRequiredService<VerifierPipeline>().Stages);
        Assert.NotNull(sp.GetRequiredService<SchedCP.Verifier.Tokens.DeploymentTokenValidator>());
        Assert.DoesNotContain(services, d => d.ServiceType.Namespace?.StartsWith("SchedCP.Repository", StringComparison.Ordinal) == true);
    }
}
