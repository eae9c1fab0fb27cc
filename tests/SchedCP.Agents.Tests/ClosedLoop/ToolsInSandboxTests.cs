using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Agents.Tests.Tools;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Testing;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.KernelVerifier;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;
using SchedCP.Verifier.Tokens;
using Xunit.Abstractions;

namespace SchedCP.Agents.Tests.ClosedLoop;

/// <summary>
/// The agents acting through the tools in the real sched_ext guest with a scripted model: a revision of vtime measured
/// against EEVDF, a scheduler the kernel's verifier refuses and the model repairs from the log, a run stopped by its
/// budget, and the offline path on the same workload for comparison.
/// </summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class ToolsInSandboxTests(ITestOutputHelper output)
{
    /// <summary>vtime with wake-affine placement on by default: the wakee runs on the waker's CPU.</summary>
    private const string VtimeWakeLocal = """
        --- a/bpf/schedulers/vtime.bpf.c
        +++ b/bpf/schedulers/vtime.bpf.c
        @@ -25,2 +25,2 @@
         const volatile u64 max_lag_ns = 20000000;
        -const volatile bool wake_local = false;
        +const volatile bool wake_local = true;
        """;

    private static BenchmarkWorkload Wakeup => BenchmarkWorkload.Wakeup(seconds: 2);

    [SandboxFact]
    public async Task A_model_patches_vtime_through_the_tools_and_the_revision_is_measured_against_eevdf_and_kept_with_its_diff()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var model = new ScriptedChatClient()
            .Reply("""{"notes": ["producer/consumer wakeups"], "longTaskNames": []}""")
            .CallTool("get_policy", new() { ["name"] = "vtime", ["includeSource"] = true })
            .CallTool("submit_patch", new() { ["parent"] = "vtime", ["diff"] = VtimeWakeLocal, ["name"] = "vtime_wake_local" })
            .Reply(JsonSerializer.Serialize(new
            {
                kind = "revise",
                candidates = new object[]
                {
                    new { label = "vtime, wake-affine by default", policy = "vtime", patch = VtimeWakeLocal, rationale = "the wakee runs on the waker's CPU" },
                    new { label = "vtime", policy = "vtime", rationale = "the parent, for comparison" },
                },
                reasons = new[] { "tasks wake each other in short bursts" },
            }))
            .Reply("""{"lessons": ["wake-affine placement for producer/consumer wakeups"]}""");
        var loop = Loop(repo, services, new OptimizationLoopOptions());

        var result = await loop.RunAsync(new OptimizationRequest(Wakeup) { FinalRepeats = 5, Finalists = 2 }, model);

        Assert.Equal(0, model.Remaining);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal(PlanKind.Revise, result.Plans.Single().Kind);
        var revised = result.Candidates.Single(c => c.Spec.Parent == "vtime");
        Assert.Equal(CandidateStatus.Measured, revised.Status);
        Assert.Equal(VtimeWakeLocal, revised.Spec.Patch);
        Assert.NotNull(revised.Change);
        // Kept twice with its lineage: by the tool when the model verified it, and by the Learning agent after the run.
        Assert.Contains("parent:vtime", (await repo.Repository.GetPolicyAsync("vtime_wake_local")).Value!.Characteristics);
        var learned = (await repo.Repository.GetPolicyAsync(revised.Spec.PolicyName)).Value!;
        Assert.Contains("patch:" + VtimeWakeLocal, learned.Characteristics);
        // The side-effecting tool call went through the agent runtime: claimed as a work unit and recorded.
        Assert.Contains(loop.LastRun!.Events, e => e.AgentId == "planning-1" && e.Subject.Contains("tool.submit_patch", StringComparison.Ordinal));
        if (result.Best?.Spec.Parent == "vtime")
        {
            Assert.NotNull(result.Deployment.Token);
        }

        Report("scripted model (revise vtime)", result);
    }

    [SandboxFact]
    public async Task The_offline_path_on_the_same_workload_for_the_comparison_table()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var loop = Loop(repo, services, new OptimizationLoopOptions());

        var result = await loop.RunAsync(new OptimizationRequest(Wakeup) { FinalRepeats = 5, Finalists = 2, MaxCandidates = 3 });

        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal("offline", result.Plans.Single().Planner);
        Report("offline planner", result);
    }

    /// <summary>The CLI's long-tail batches: ten named short tasks and one long, or sixteen and one under one name.</summary>
    public static TheoryData<string> LongTailBatches => new() { "named", "same-name" };

    private static BenchmarkWorkload LongTailBatch(string batch) => batch == "named"
        ? BenchmarkWorkload.LongTail(shortTasks: 10, longTasks: 1, shortMs: 30, longMs: 300)
        : BenchmarkWorkload.SameNameLongTail(shortTasks: 16, longTasks: 1, shortMs: 30, longMs: 300, seed: 5);

    [SandboxTheory]
    [MemberData(nameof(LongTailBatches))]
    public async Task The_offline_path_on_the_long_tail_batches_for_the_comparison_table(string batch)
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var loop = Loop(repo, services, new OptimizationLoopOptions());

        var result = await loop.RunAsync(new OptimizationRequest(LongTailBatch(batch)) { FinalRepeats = 5, Finalists = 2, MaxCandidates = 3 });

        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal("offline", result.Plans.Single().Planner);
        Assert.All(result.Candidates.Where(c => c.Change is not null), c => Assert.Equal("makespan_ms", c.Change!.Kpi));
        Report($"offline planner, {batch} long tail", result);
    }

    [SandboxTheory]
    [MemberData(nameof(LongTailBatches))]
    public async Task A_model_generates_a_longest_job_first_scheduler_from_primitives_for_a_long_tail_batch(string batch)
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        string[] ljf = ["dsq_global", "order_ljf", "idle_default", "slice_fixed"];
        var model = new ScriptedChatClient()
            .Reply("""{"notes": ["one program under one name; the work differs per task"], "longTaskNames": []}""")
            .CallTool("list_primitives", [])
            .CallTool("compose_scheduler", new() { ["name"] = "gen_ljf_batch", ["primitives"] = ljf })
            .Reply(JsonSerializer.Serialize(new
            {
                kind = "generate",
                candidates = new object[]
                {
                    new { label = "LJF on measured runtime, composed", policy = "gen_ljf_batch", primitives = ljf, rationale = "names say nothing; order by the runtime each task has used" },
                },
                reasons = new[] { "a long tail in a batch of one program" },
            }))
            .Reply("""{"lessons": ["longest measured runtime first shortens a same-name batch"]}""");
        var loop = Loop(repo, services, new OptimizationLoopOptions());

        var result = await loop.RunAsync(new OptimizationRequest(LongTailBatch(batch)) { FinalRepeats = 5, Finalists = 2 }, model);

        Assert.Equal(0, model.Remaining);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal(PlanKind.Generate, result.Plans.Single().Kind);
        var generated = Assert.Single(result.Candidates);
        Assert.Equal(ljf, generated.Spec.Primitives);
        Assert.Equal(CandidateStatus.Measured, generated.Status);
        Assert.Equal("makespan_ms", generated.Change!.Kpi);
        // The tool stored the composed scheduler when it passed the static checks; the run's events show the call.
        Assert.True((await repo.Repository.GetPolicyAsync("gen_ljf_batch")).Succeeded);
        Assert.Contains(loop.LastRun!.Events, e => e.AgentId == "planning-1" && e.Subject.Contains("tool.compose_scheduler", StringComparison.Ordinal));
        Report($"scripted model (generate LJF), {batch} long tail", result);
    }

    [SandboxFact]
    public async Task A_scheduler_the_kernel_verifier_refuses_is_repaired_by_the_model_from_the_verifiers_log()
    {
        using var repo = Observations.Repository();
        var root = BuildOutputs.RepositoryRoot();
        var bad = File.ReadAllText(Path.Combine(root, "bpf/testing/reject.bpf.c"));
        var fixedSource = bad.Replace("\t*n += 1; /* Deliberate bug: no NULL check. */", "\tif (n)\n\t\t*n += 1;", StringComparison.Ordinal);
        Assert.NotEqual(bad, fixedSource);
        var model = new ScriptedChatClient().ReplyFrom(conversation =>
            // The model repairs only what the kernel's log says: a map value used without its NULL check.
            conversation[^1].Text.Contains("map_value_or_null", StringComparison.Ordinal)
                ? JsonSerializer.Serialize(new { source = fixedSource })
                : """{"source": ""}""");
        var sandbox = Sandbox();
        var trials = new SchedulerTrialRunner(sandbox);
        var verifier = new VerifierPipelineBuilder()
            .UseCompile(o => o.OutputDirectory = Path.Combine(repo.Directory, "objects")).UseStaticAnalysis().UseKernelVerifier(trials).Build();
        var execution = new ExecutionAgent(repo.Repository, verifier, new WorkloadRunner(), sandbox,
            Microsoft.Extensions.Options.Options.Create(new ExecutionOptions { WorkDirectory = repo.Directory, MaxRepairs = 1 }));
        var spec = new CandidateSpec("counting FIFO", "gen_counting_fifo", new Dictionary<string, string>()) { Source = bad };

        var (candidate, failure) = await execution.MaterializeAsync(spec, model, async (relative, text, ct) =>
        {
            var path = Path.Combine(repo.Directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text, ct);
            return path;
        }, CancellationToken.None);

        Assert.True(candidate is not null, failure?.Reason);
        Assert.Equal("compile:pass static:pass kernel-verifier:pass", candidate.Verification.Summary);
        Assert.Contains("if (n)", candidate.Spec.Source, StringComparison.Ordinal);
        var asked = model.Calls.Single()[^1].Text;
        Assert.Contains("The kernel-verifier stage stopped it", asked, StringComparison.Ordinal);
        Assert.Contains("Log (tail):", asked, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task A_run_whose_model_budget_is_spent_stops_with_a_typed_result_and_records_nothing()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var model = new ScriptedChatClient()
            .Reply("""{"notes": ["wakeups"], "longTaskNames": []}""")
            .CallTool("search_policies", new() { ["query"] = "latency", ["limit"] = 3 })
            .Reply("""{"kind": "reconfigure", "candidates": [{"policy": "vtime"}]}""");
        var loop = Loop(repo, services, new OptimizationLoopOptions { Budget = new AgentBudget { MaxModelCalls = 1 } });

        var result = await loop.RunAsync(new OptimizationRequest(Wakeup) { FinalRepeats = 2 }, model);

        Assert.Equal(OptimizationFailureKind.BudgetExhausted, result.Failure!.Kind);
        Assert.Equal(BudgetLimit.ModelCalls, result.BudgetStop!.Limit);
        Assert.Equal("planning-1", result.BudgetStop.Stage);
        Assert.Equal(2, model.Remaining);
        Assert.Empty(result.Candidates);
        Assert.Null(result.Deployment.Token);
        Assert.Empty(await repo.Repository.Store.GetRunsAsync(result.Observation.Fingerprint));
    }

    private void Report(string path, OptimizationResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"| {path} | {result.Plans[0].Kind} by {result.Plans[0].Planner} | ");
        text.Append(string.Join("<br>", result.Candidates.Select(c => $"{c.Spec.Label}: {c.Status}{(c.Change is { } k ? string.Create(CultureInfo.InvariantCulture, $" {k.Kpi} {k.Current.Mean:F0} vs EEVDF {k.Baseline.Mean:F0} (x{k.Ratio:F3}, {k.Verdict})") : "")}")));
        text.Append(CultureInfo.InvariantCulture, $" | {(result.Best is { } b ? b.Spec.Label : "none beat EEVDF")} | {result.Cost.ModelCalls} | {result.Cost.Tokens} | {result.Cost.Wall.TotalSeconds:F0} s |");
        output.WriteLine(text.ToString());
    }

    private static SandboxRunner Sandbox() => new(new SandboxOptions { CpuCount = 2, MemoryMiB = 1024, Timeout = TimeSpan.FromMinutes(10) });

    private static OptimizationLoop Loop(TemporaryRepository repo, ServiceProvider services, OptimizationLoopOptions options)
    {
        var sandbox = Sandbox();
        var runner = new WorkloadRunner();
        var toolbox = Toolboxes.Create(repo, services, sandbox);
        var executionOptions = Microsoft.Extensions.Options.Options.Create(Toolboxes.Options(repo));
        var verifier = new VerifierPipelineBuilder().UseCompile(o => o.OutputDirectory = Path.Combine(repo.Directory, "objects")).UseStaticAnalysis().Build();
        options.WorkDirectory = Path.Combine(repo.Directory, "workspace");
        return new OptimizationLoop(
            new ObservationAgent(new WorkloadObserver(runner, probe: new RunQueueLatencyProbe(sandbox)), repo.Repository),
            new PlanningAgent(repo.Repository, toolbox: toolbox, options: executionOptions),
            new ExecutionAgent(repo.Repository, verifier, runner, sandbox, executionOptions, toolbox: toolbox),
            new LearningAgent(repo.Repository, new PolicyPromotion(repo.Repository)),
            new DeploymentTokenIssuer(ECDsa.Create(ECCurve.NamedCurves.nistP256), new MachineHostIdentity("test-host"), TimeProvider.System, NullLogger<DeploymentTokenIssuer>.Instance),
            Microsoft.Extensions.Options.Options.Create(options));
    }
}
