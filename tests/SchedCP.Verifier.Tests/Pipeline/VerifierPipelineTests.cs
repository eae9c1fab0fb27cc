using Microsoft.Extensions.DependencyInjection;
using SchedCP.Repository;
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
    public void Verdict_converts_to_the_repository_record_with_findings_first()
    {
        var v = new StageVerdict("static", false, "lost task", [new VerificationFinding("enqueue-drops-task", FindingSeverity.Error, "m", "r", new FindingLocation(Program: "p", Instruction: 3))], "log", new Dictionary<string, double>(), TimeSpan.Zero, DateTimeOffset.UnixEpoch);
        var r = v.ToRepositoryVerdict();
        Assert.Equal(("static", false, "lost task"), (r.Stage, r.Passed, r.Reason));
        Assert.StartsWith("Error [enqueue-drops-task] p+3: m", r.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSchedCPVerifier_registers_pipeline_tokens_and_receipt_validator()
    {
        var services = new ServiceCollection();
        services.AddSchedCPVerifier(b => b.AddStage(new FixedStage("a", true)), hostId: "h");
        using var sp = services.BuildServiceProvider();
        Assert.Single(sp.GetRequiredService<VerifierPipeline>().Stages);
        Assert.IsType<SchedCP.Verifier.Tokens.DeploymentReceiptValidator>(sp.GetRequiredService<IDeploymentReceiptValidator>());
    }
}
