using Microsoft.Extensions.DependencyInjection;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.Dynamic;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Tests.Dynamic;

[Collection("Sandbox")]
[Trait("Category", "Sandbox")]
public class DynamicStageSandboxTests
{
    private static VerifierPipeline Pipeline(Action<VerifierPipelineBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddSchedCPKernel();
        services.AddSchedCPVerifier(configure, hostId: "test");
        return services.BuildServiceProvider().GetRequiredService<VerifierPipeline>();
    }

    [SandboxFact]
    public async Task Sandbox_stage_passes_fifo_with_wait_and_idle_numbers()
    {
        var report = await Pipeline(b => b.UseSandboxRun()).VerifyAsync(VerificationCandidate.FromObject("fifo", BpfObjects.Build("fifo")));
        var v = report.Verdicts[^1];
        Assert.True(v.Passed, v.ToString() + "\n" + v.Log);
        Assert.True(v.Metrics["tasks"] >= 4);
        Assert.True(v.Metrics["max_task_wait_ms"] < 2000);
    }

    [SandboxFact]
    public async Task Sandbox_stage_stops_the_stalling_scheduler_on_task_wait_or_ejection()
    {
        var report = await Pipeline(b => b.UseSandboxRun()).VerifyAsync(VerificationCandidate.FromObject("stall", BpfObjects.Build("stall")));
        var v = report.FailedStage!;
        Assert.Equal("sandbox", v.Stage);
        Assert.Contains(v.Errors, f => f.Check is "task-wait" or "stayed-attached" or "clean-exit");

    }

    [SandboxFact]
    public async Task Performance_gate_measures_the_target_workload_against_eevdf()
    {
        var candidate = VerificationCandidate.FromObject("fifo", BpfObjects.Build("fifo")) with { TargetWorkload = BenchmarkWorkload.LongTail(shortTasks: 4, longTasks: 1, shortMs: 30, longMs: 150) };
        var report = await Pipeline(b => b.UsePerformanceGate(o => o.Repeats = 2)).VerifyAsync(candidate);
        var v = report.Verdicts[^1];
        Assert.Equal("performance", v.Stage);
        Assert.True(v.Metrics.ContainsKey("eevdf_mean"), v.ToString() + "\n" + v.Log);
        Assert.Equal(2, v.Metrics["repeats"]);
        Assert.Equal(v.Passed, (PerformanceOutcome)(int)v.Metrics["outcome"] != PerformanceOutcome.Worse);
    }
}
