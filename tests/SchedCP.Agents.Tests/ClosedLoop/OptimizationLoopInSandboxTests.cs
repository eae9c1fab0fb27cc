using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Testing;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Agents.Tests.ClosedLoop;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxGroup
{
    public const string Name = "sandbox";
}

/// <summary>The whole loop on a real workload in the real sched_ext guest, with a scripted model.</summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class OptimizationLoopInSandboxTests
{
    [SandboxFact]
    public async Task A_model_proposing_a_bad_scheduler_is_stopped_by_the_verifier_while_the_good_candidate_is_measured_against_eevdf()
    {
        using var repo = Observations.Repository();
        var root = BuildOutputs.RepositoryRoot();
        var bad = File.ReadAllText(Path.Combine(root, "bpf/testing/missing_dsq.bpf.c"));
        var model = new ScriptedChatClient()
            // Observation: agrees with the measurement.
            .Reply("""{"notes": ["one task dominates"], "longTaskNames": ["lt-long0"]}""")
            // Planning: a new scheduler with a bug, and a reconfiguration of longjob.
            .CallTool("search_policies", new() { ["query"] = "long tail batch", ["limit"] = 3 })
            .Reply(JsonSerializer.Serialize(new
            {
                kind = "generate",
                candidates = new object[]
                {
                    new { label = "my-ljf", policy = "gen_ljf", parameters = new Dictionary<string, string>(), source = bad, rationale = "a custom long-job-first" },
                    new { label = "longjob names", policy = "longjob", parameters = new Dictionary<string, string> { ["long_comm0"] = "lt-long0" }, rationale = "learned names" },
                },
                reasons = new[] { "one straggler" },
            }))
            // Execution: the model cannot repair its scheduler.
            .Reply("""{"source": ""}""")
            // Learning.
            .Reply("""{"lessons": ["custom DSQs must be created in init"]}""");
        var loop = Loop(repo, root);
        var workload = BenchmarkWorkload.LongTail(shortTasks: 4, longTasks: 1, shortMs: 20, longMs: 120);

        var result = await loop.RunAsync(new OptimizationRequest(workload) { FinalRepeats = 2, Finalists = 2 }, model);

        Assert.Equal(0, model.Remaining);
        Assert.Equal(["lt-long0"], result.Observation.LongTaskNames);
        var plan = Assert.Single(result.Plans);
        Assert.Equal(PlanKind.Generate, plan.Kind);
        var generated = result.Candidates.Single(c => c.Spec.PolicyName == "gen_ljf");
        Assert.Equal(CandidateStatus.FailedVerification, generated.Status);
        Assert.StartsWith("static:", generated.Reason, StringComparison.Ordinal);
        var longjob = result.Candidates.Single(c => c.Spec.PolicyName == "longjob");
        Assert.Equal(CandidateStatus.Measured, longjob.Status);
        Assert.Equal("makespan_ms", longjob.Change!.Kpi);
        Assert.InRange(longjob.Change.Baseline.Count, 2, 2);

        // The rejected scheduler is kept, with its source, as an antipattern; the runs are in the history.
        var kept = await repo.Repository.GetPolicyAsync("gen_ljf");
        Assert.Equal(PolicyLifecycle.Rejected, kept.Value!.Lifecycle);
        Assert.Equal(bad, kept.Value.Source!.Content);
        var ranked = await repo.Repository.RankAsync(result.Observation.Fingerprint, RankingMetric.Makespan);
        Assert.Contains(ranked.Value!, r => r.PolicyName == "longjob");
        Assert.Contains("Model: custom DSQs must be created in init", result.Lessons);

        // The roles ran on the agent runtime: the sched_ext slot was claimed, the generated source was a change.
        var events = loop.LastRun!.Events;
        Assert.Contains(events, e => e.AgentId == "execution-1" && e.Subject.Contains(ProcessResources.SchedExtSlot.ToString(), StringComparison.Ordinal));
        Assert.Contains(loop.LastRun.Agents.Single(a => a.Id == "execution-1").ChangeSet.Changes, c => c.Path.StartsWith("generated/", StringComparison.Ordinal));
        Assert.True(result.Cost.ModelCalls >= 5);
        Assert.True(result.Cost.Stages.Single(s => s.Stage == "final").Wall > TimeSpan.Zero);
    }

    private static OptimizationLoop Loop(TemporaryRepository repo, string root)
    {
        var time = TimeProvider.System;
        var sandbox = new SandboxRunner(new SandboxOptions { CpuCount = 2, MemoryMiB = 1024, Timeout = TimeSpan.FromMinutes(10) });
        var runner = new WorkloadRunner();
        var verifier = new VerifierPipelineBuilder().UseCompile(o => o.OutputDirectory = Path.Combine(repo.Directory, "objects")).UseStaticAnalysis().Build();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var host = new MachineHostIdentity("test-host");
        return new OptimizationLoop(
            new ObservationAgent(new WorkloadObserver(runner, probe: new RunQueueLatencyProbe(sandbox)), repo.Repository),
            new PlanningAgent(repo.Repository),
            new ExecutionAgent(repo.Repository, verifier, runner, sandbox,
                Microsoft.Extensions.Options.Options.Create(new ExecutionOptions { WorkDirectory = repo.Directory, BpfObjectDirectory = Path.Combine(root, "bpf", "build") })),
            new LearningAgent(repo.Repository, new PolicyPromotion(repo.Repository)),
            new DeploymentTokenIssuer(key, host, time, NullLogger<DeploymentTokenIssuer>.Instance),
            Microsoft.Extensions.Options.Options.Create(new OptimizationLoopOptions { WorkDirectory = Path.Combine(repo.Directory, "workspace") }));
    }
}
