using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Tests.Pipeline;

public sealed class FullGauntletTests
{
    [Fact]
    public void The_full_gauntlet_is_every_stage_in_the_order_a_candidate_must_pass_them()
    {
        var sandbox = new SandboxRunner(new SandboxOptions());

        var pipeline = new VerifierPipelineBuilder().UseFullGauntlet(trials: new SchedulerTrialRunner(sandbox), sandbox: sandbox, workloads: new WorkloadRunner()).Build();

        Assert.Equal(["compile", "static", "kernel-verifier", "sandbox", "performance"], pipeline.Stages.Select(s => s.Name));
    }
}
