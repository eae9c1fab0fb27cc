using Microsoft.Extensions.AI;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents.Tests.Planning;

public sealed class PlanningAgentTests
{
    [Fact]
    public async Task Offline_the_long_tail_plan_is_long_job_first_with_the_measured_names_and_every_candidate_is_valid()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);

        var plan = await new PlanningAgent(repo.Repository).PlanAsync(report, [], null, 6, null, new CostLedger());

        Assert.Equal("offline", plan.Planner);
        Assert.Contains(plan.Candidates, c => c.PolicyName == "longjob" && c.Parameters.GetValueOrDefault("long_comm0") == "lt-long0");
        Assert.Contains(plan.Candidates, c => c.PolicyName == "longjob" && !c.Parameters.ContainsKey("long_comm0") && c.Parameters.ContainsKey("long_after_ns"));
        foreach (var c in plan.Candidates)
        {
            var validated = await repo.Repository.ValidateParametersAsync(c.PolicyName, c.Parameters);
            Assert.True(validated.Succeeded, $"{c.Label}: {validated.Failure}");
        }
    }

    [Fact]
    public async Task Offline_a_latency_workload_gets_short_slices()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);
        var report = await agent.DescribeAsync(new OptimizationRequest(BenchmarkWorkload.Wakeup()), Observations.Latency()) with { Metrics = ["p99_us"] };

        var plan = OfflinePlanner.Plan(report, [], null, 6);

        Assert.All(plan.Candidates, c => Assert.Contains(c.PolicyName, new[] { "vtime", "fifo" }));
        Assert.Contains(plan.Candidates, c => c.Parameters.GetValueOrDefault("slice_ns") == "1000000");
        var c = report.Profile.Characteristics;
        var producerConsumer = c.MeanBurstMs <= OfflinePlanner.WakeAffineMaxBurstMs && c.VoluntarySwitchesPerSecond >= OfflinePlanner.WakeAffineMinSwitchesPerSecond;
        Assert.True(producerConsumer, $"the fixture is a producer/consumer wakeup pattern: {c.MeanBurstMs} ms bursts, {c.VoluntarySwitchesPerSecond}/s");
        Assert.Contains(plan.Candidates, c => c.Parameters.GetValueOrDefault("wake_local") == "true");
    }

    [Fact]
    public async Task Offline_long_cpu_bursts_get_no_wake_affine_candidates()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);

        var plan = OfflinePlanner.Plan(report, [], null, 6);

        Assert.DoesNotContain(plan.Candidates, c => c.Parameters.ContainsKey("wake_local"));
    }

    [Fact]
    public async Task A_second_iteration_refines_the_previous_best()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var best = new CandidateSpec("longjob (learned names, slice=2ms)", "longjob", new Dictionary<string, string> { ["long_comm0"] = "lt-long0", ["slice_ns"] = "2000000" });

        var plan = OfflinePlanner.Plan(report, [], best, 6);

        Assert.Equal(best, plan.Candidates[0]);
        Assert.Contains(plan.Candidates, c => c.Parameters.GetValueOrDefault("slice_ns") == "1000000");
        Assert.Contains(plan.Candidates, c => c.Parameters.GetValueOrDefault("slice_ns") == "4000000");
    }

    [Fact]
    public async Task The_model_searches_the_repository_then_its_plan_is_used_and_costed()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var model = new ScriptedChatClient()
            .CallTool("search_policies", new() { ["query"] = "long tail batch makespan", ["limit"] = 3 })
            .CallTool("get_policy", new() { ["name"] = "longjob" })
            .Reply("""
                Here is the plan:
                ```json
                {"kind": "reconfigure", "candidates": [{"label": "ljf", "policy": "longjob", "parameters": {"long_comm0": "lt-long0", "slice_ns": 2000000}, "rationale": "start the straggler first"}],
                 "reasons": ["one task is 10x the median"]}
                ```
                """, inputTokens: 1000, outputTokens: 200);
        var ledger = new CostLedger(price: new ModelPrice(3m, 15m));

        var plan = await new PlanningAgent(repo.Repository).PlanAsync(report, [], null, 6, model, ledger);

        Assert.Equal("model", plan.Planner);
        var c = Assert.Single(plan.Candidates);
        Assert.Equal("2000000", c.Parameters["slice_ns"]);
        Assert.Contains(model.Calls[1], m => m.Contents.OfType<FunctionResultContent>().Any(r => r.Result!.ToString()!.Contains("longjob", StringComparison.Ordinal)));
        var cost = ledger.Report();
        Assert.Equal(3, cost.ModelCalls);
        Assert.Equal(1100, cost.Stages.Single().InputTokens);
        Assert.Equal((1100 * 3m + 220 * 15m) / 1_000_000m, cost.Cost);
    }

    [Fact]
    public async Task Malformed_json_and_an_out_of_range_parameter_go_back_to_the_model_until_it_answers_properly()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var model = new ScriptedChatClient()
            .Reply("""{"kind": "reconfigure", "candidates": [{"policy": "longjob",""")
            .Reply("""{"kind": "reconfigure", "candidates": [{"policy": "longjob", "parameters": {"slice_ns": "5"}}]}""")
            .Reply("""{"kind": "reconfigure", "candidates": [{"policy": "longjob", "parameters": {"slice_ns": "500000"}}]}""");

        var plan = await new PlanningAgent(repo.Repository).PlanAsync(report, [], null, 6, model, new CostLedger());

        Assert.Equal("model", plan.Planner);
        Assert.Contains(model.Calls[1], m => m.Text.Contains("JSON", StringComparison.Ordinal));
        Assert.Contains(model.Calls[2], m => m.Text.Contains("slice_ns", StringComparison.Ordinal));
        Assert.Equal("500000", plan.Candidates.Single().Parameters["slice_ns"]);
    }

    [Fact]
    public async Task A_model_that_refuses_or_fails_hands_over_to_the_offline_planner_and_the_plan_says_why()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var refusing = new ScriptedChatClient().Reply("I won't change kernel schedulers.").Reply("No.").Reply("Still no.");
        var failing = new ScriptedChatClient().Fail("503 Service Unavailable");

        var refused = await new PlanningAgent(repo.Repository).PlanAsync(report, [], null, 6, refusing, new CostLedger());
        var failed = await new PlanningAgent(repo.Repository).PlanAsync(report, [], null, 6, failing, new CostLedger());

        Assert.Equal("offline (model fallback)", refused.Planner);
        Assert.Contains("no JSON object", refused.Reasons[0], StringComparison.Ordinal);
        Assert.Contains(refused.Candidates, c => c.PolicyName == "longjob");
        Assert.Equal("offline (model fallback)", failed.Planner);
        Assert.Contains("503", failed.Reasons[0], StringComparison.Ordinal);
    }

    private static async Task<ObservationReport> Describe(TemporaryRepository repo) =>
        await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch()) with { Metrics = ["makespan_ms"] };
}

public sealed class SameNamePlanningTests
{
    [Fact]
    public async Task Offline_a_same_name_long_tail_gets_long_job_first_by_fork_order_and_a_measured_threshold_all_valid()
    {
        using var repo = Observations.Repository();
        var tree = Observation.LongTaskIdentificationTests.Batch([30, 31, 29, 300, 30, 32, 28, 30, 31, 300, 29, 30]);
        var observation = new WorkloadObservation(tree, null, null, null, null, WorkloadProfiler.Profile("batch", tree));
        var report = await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(BenchmarkWorkload.SameNameLongTail()), observation) with { Metrics = ["makespan_ms"] };

        var plan = OfflinePlanner.Plan(report, [], null, 6);

        Assert.Empty(report.LongTaskNames);
        var byFork = plan.Candidates.First(c => c.PolicyName == "longjob" && c.Parameters.ContainsKey("long_fork0"));
        Assert.Equal("driver", byFork.Parameters["long_fork_parent"]);
        Assert.Equal(["4", "10"], [byFork.Parameters["long_fork0"], byFork.Parameters["long_fork1"]]);
        // Two long tasks may run at once, on at most the CPUs the batch kept busy.
        Assert.Equal(Math.Min(2, report.Profile.Resources.Cpus).ToString(System.Globalization.CultureInfo.InvariantCulture), byFork.Parameters["max_long_cpus"]);
        var online = plan.Candidates.Single(c => c.Parameters.ContainsKey("long_after_ns"));
        Assert.InRange(long.Parse(online.Parameters["long_after_ns"], System.Globalization.CultureInfo.InvariantCulture), 38_000_000, 41_000_000);
        foreach (var c in plan.Candidates)
        {
            var validated = await repo.Repository.ValidateParametersAsync(c.PolicyName, c.Parameters);
            Assert.True(validated.Succeeded, $"{c.Label}: {validated.Failure}");
        }
    }

    [Fact]
    public async Task Offline_an_equal_task_batch_gets_no_learned_long_tasks()
    {
        using var repo = Observations.Repository();
        var tree = Observation.LongTaskIdentificationTests.Batch([30, 31, 29, 30, 32, 28, 30, 31, 29, 30]);
        var observation = new WorkloadObservation(tree, null, null, null, null, WorkloadProfiler.Profile("batch", tree));
        var report = await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(BenchmarkWorkload.SameNameLongTail()), observation) with { Metrics = ["makespan_ms"] };

        var plan = OfflinePlanner.Plan(report, [], null, 6);

        Assert.DoesNotContain(plan.Candidates, c => c.Parameters.Keys.Any(k => k.StartsWith("long_fork", StringComparison.Ordinal) || k.StartsWith("long_comm", StringComparison.Ordinal)));
    }
}
