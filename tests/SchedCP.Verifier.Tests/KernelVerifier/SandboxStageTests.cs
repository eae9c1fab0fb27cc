using Microsoft.Extensions.DependencyInjection;
using SchedCP.Verifier.KernelVerifier;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Tests.KernelVerifier;

[CollectionDefinition("Sandbox", DisableParallelization = true)]
public sealed class SandboxGuests;

[Collection("Sandbox")]
[Trait("Category", "Sandbox")]
public class SandboxStageTests
{
    private static VerifierPipeline Pipeline()
    {
        var services = new ServiceCollection();
        services.AddSchedCPKernel();
        services.AddSchedCPVerifier(b => b.UseStaticAnalysis().UseKernelVerifier(), hostId: "test");
        return services.BuildServiceProvider().GetRequiredService<VerifierPipeline>();
    }

    [SandboxFact]
    public async Task Kernel_verifier_rejects_the_null_unchecked_map_value_with_its_log()
    {
        var report = await Pipeline().VerifyAsync(VerificationCandidate.FromObject("reject", BpfObjects.Build("reject")));
        var failed = report.FailedStage!;
        Assert.Equal("kernel-verifier", failed.Stage);
        Assert.Contains("invalid mem access", failed.Log, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task Kernel_verifier_accepts_fifo_and_counts_processed_instructions()
    {
        var report = await Pipeline().VerifyAsync(VerificationCandidate.FromObject("fifo", BpfObjects.Build("fifo")));
        Assert.True(report.Passed, string.Join('\n', report.Verdicts));
        Assert.True(report.Verdicts[^1].Metrics["verified_insns"] > 0);
    }
}
