using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Testing;

namespace SchedCP.Agents.Tests.Tools;

/// <summary>The control-plane tools, called directly and by a scripted model; compile and static checks only, no guest.</summary>
public sealed class SchedulerToolboxTests
{
    [Fact]
    public void Each_role_gets_only_its_own_tools_and_every_tool_is_described()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var toolbox = Toolboxes.Create(repo, services);

        var planning = toolbox.Functions(ToolRole.Planning).Select(f => f.Name).ToArray();
        var execution = toolbox.Functions(ToolRole.Execution).Select(f => f.Name).ToArray();
        var learning = toolbox.Functions(ToolRole.Learning).Select(f => f.Name).ToArray();
        var all = toolbox.Functions(ToolRole.All);

        Assert.Contains(SchedulerToolbox.Names.SubmitPatch, planning);
        Assert.Contains(SchedulerToolbox.Names.ComposeScheduler, planning);
        Assert.DoesNotContain(SchedulerToolbox.Names.RunTrial, planning);
        Assert.DoesNotContain(SchedulerToolbox.Names.RecordFeedback, planning);
        Assert.Contains(SchedulerToolbox.Names.CompareWithEevdf, execution);
        Assert.DoesNotContain(SchedulerToolbox.Names.ComposeScheduler, execution);
        Assert.Equal([SchedulerToolbox.Names.GetFeedback, SchedulerToolbox.Names.RecordFeedback], learning);
        Assert.Equal(10, all.Select(f => f.Name).Distinct().Count());
        Assert.All(all, f => Assert.False(string.IsNullOrWhiteSpace(f.Description), f.Name));
        // Typed arguments: the schema the model (and an MCP client) sees names each one.
        var patch = all.Single(f => f.Name == SchedulerToolbox.Names.SubmitPatch).JsonSchema.GetRawText();
        Assert.Contains("\"parent\"", patch, StringComparison.Ordinal);
        Assert.Contains("\"diff\"", patch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_naming_the_argument_before_anything_runs()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var toolbox = Toolboxes.Create(repo, services);

        var depth = await Assert.ThrowsAsync<ToolArgumentException>(() => toolbox.VerifySourceAsync("gen_x", "int x;", "deep"));
        var name = await Assert.ThrowsAsync<ToolArgumentException>(() => toolbox.SubmitPatchAsync("vtime", Toolboxes.VtimeShortLag, "../evil"));
        var context = await Assert.ThrowsAsync<ToolArgumentException>(() => toolbox.SubmitPatchAsync("vtime", "@@ -1,1 +1,1 @@\n not in vtime\n-x\n+y\n", "vtime_x"));
        var primitives = await Assert.ThrowsAsync<ToolArgumentException>(() => toolbox.ComposeSchedulerAsync("gen_x", ["order_fifo", "order_vtime"]));

        Assert.Contains("'depth'", depth.Message, StringComparison.Ordinal);
        Assert.Contains("'name'", name.Message, StringComparison.Ordinal);
        Assert.Contains("does not apply", context.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one", primitives.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(repo.Directory, "work", "submitted")) && Directory.EnumerateFiles(Path.Combine(repo.Directory, "work", "submitted")).Any());
    }

    [BpfSourcesFact]
    public async Task A_patch_against_vtime_is_applied_verified_and_stored_with_its_parent_and_diff()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var toolbox = Toolboxes.Create(repo, services);

        var result = await toolbox.SubmitPatchAsync("vtime", Toolboxes.VtimeShortLag, "vtime_short_lag");

        Assert.True(result.Check.Passed, result.Check.Reason + " " + string.Join("; ", result.Check.Findings));
        Assert.Equal("compile:pass static:pass", result.Check.Summary);
        Assert.Equal("vtime_short_lag", result.Check.StoredAs);
        var stored = (await repo.Repository.GetPolicyAsync("vtime_short_lag")).Value!;
        Assert.Equal(PolicyKind.Generated, stored.Kind);
        Assert.Contains("parent:vtime", stored.Characteristics);
        Assert.Contains("patch:" + Toolboxes.VtimeShortLag, stored.Characteristics);
        Assert.StartsWith("revision of vtime", stored.Algorithm, StringComparison.Ordinal);
        Assert.Contains("max_lag_ns = 2000000;", stored.Source!.Content, StringComparison.Ordinal);
        Assert.Equal(Toolboxes.VtimeShortLag, File.ReadAllText(result.PatchPath!));
    }

    [BpfSourcesFact]
    public async Task A_model_reads_vtime_patches_it_through_the_tools_and_plans_the_revision()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var toolbox = Toolboxes.Create(repo, services);
        var model = new ScriptedChatClient()
            .CallTool("get_policy", new() { ["name"] = "vtime", ["includeSource"] = true })
            .CallTool("submit_patch", new() { ["parent"] = "vtime", ["diff"] = "@@ -1,1 +1,1 @@\n no such line\n-x\n+y\n", ["name"] = "vtime_short_lag" })
            .CallTool("submit_patch", new() { ["parent"] = "vtime", ["diff"] = Toolboxes.VtimeShortLag, ["name"] = "vtime_short_lag" })
            .Reply(JsonSerializer.Serialize(new
            {
                kind = "revise",
                candidates = new object[]
                {
                    new { label = "vtime, less banked credit", policy = "vtime", parameters = new Dictionary<string, string> { ["slice_ns"] = "2000000" }, patch = Toolboxes.VtimeShortLag, rationale = "wakers keep 2 ms" },
                    new { label = "stored revision", policy = "vtime_short_lag", rationale = "the verified one" },
                },
                reasons = new[] { "latency: less credit for sleepers" },
            }));
        var report = await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(BenchmarkWorkload.Wakeup()), Observations.Latency()) with { Metrics = ["p99_us"] };

        var plan = await new PlanningAgent(repo.Repository, toolbox: toolbox, options: Microsoft.Extensions.Options.Options.Create(Toolboxes.Options(repo)))
            .PlanAsync(report, [], null, 6, model, new CostLedger());

        Assert.Equal(0, model.Remaining);
        Assert.Equal(PlanKind.Revise, plan.Kind);
        var revised = plan.Candidates[0];
        Assert.Equal("vtime", revised.Parent);
        Assert.Equal(Toolboxes.VtimeShortLag, revised.Patch);
        Assert.Contains("max_lag_ns = 2000000;", revised.Source, StringComparison.Ordinal);
        Assert.Equal("2000000", revised.Parameters["slice_ns"]);
        var stored = plan.Candidates[1];
        Assert.Equal("vtime", stored.Parent);
        Assert.Contains("max_lag_ns = 2000000;", stored.Source, StringComparison.Ordinal);
        // The model saw the source, the refusal of its first diff, then the verifier's pass.
        var results = model.Calls.SelectMany(c => c).SelectMany(m => m.Contents.OfType<FunctionResultContent>()).Select(r => r.Result?.ToString() ?? "").ToArray();
        Assert.Contains(results, r => r.Contains("scx_bpf_dispatch_vtime", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Contains("does not apply", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Contains("compile:pass static:pass", StringComparison.Ordinal));
    }

    [BpfSourcesFact]
    public async Task A_model_composes_a_scheduler_from_primitives_and_plans_it_as_generated()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var toolbox = Toolboxes.Create(repo, services);
        var model = new ScriptedChatClient()
            .CallTool("list_primitives", [])
            .CallTool("compose_scheduler", new() { ["name"] = "gen_ljf_tools", ["primitives"] = new[] { "order_ljf", "dsq_global", "idle_default", "slice_fixed" } })
            .Reply("""{"kind": "generate", "candidates": [{"label": "ljf", "policy": "gen_ljf_tools", "rationale": "long job first"}, {"label": "inline", "policy": "gen_inline", "primitives": ["dsq_global", "order_fifo", "idle_default", "slice_fixed"]}]}""");
        var report = await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch()) with { Metrics = ["makespan_ms"] };

        var plan = await new PlanningAgent(repo.Repository, toolbox: toolbox).PlanAsync(report, [], null, 6, model, new CostLedger());

        Assert.Equal(PlanKind.Generate, plan.Kind);
        Assert.Contains("schedcp_gen_ljf_tools", plan.Candidates[0].Source, StringComparison.Ordinal);
        Assert.Equal(["dsq_global", "order_fifo", "idle_default", "slice_fixed"], plan.Candidates[1].Primitives);
        Assert.Contains("schedcp_gen_inline", plan.Candidates[1].Source, StringComparison.Ordinal);
        var stored = (await repo.Repository.GetPolicyAsync("gen_ljf_tools")).Value!;
        Assert.Equal(PolicyKind.Generated, stored.Kind);
    }
}
