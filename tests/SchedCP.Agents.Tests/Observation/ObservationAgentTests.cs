using Microsoft.Extensions.AI;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents.Tests.Observation;

public sealed class ObservationAgentTests
{
    [Fact]
    public async Task Long_tasks_are_found_by_their_cpu_time_not_their_names()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);

        var report = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch());

        Assert.True(report.Profile.Characteristics.LongTail);
        Assert.Equal(["lt-long0"], report.LongTaskNames);
        Assert.Equal(PrimaryKpi.Makespan, report.Kpi);
        Assert.StartsWith("wl-", report.Fingerprint, StringComparison.Ordinal);
        Assert.Contains(report.Notes, n => n.Contains("lt-long0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_latency_sensitive_workload_has_no_long_tasks_and_optimises_p99()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);

        var report = await agent.DescribeAsync(new OptimizationRequest(BenchmarkWorkload.Wakeup()), Observations.Latency()) with { Metrics = ["p50_us", "p99_us"] };

        Assert.Empty(report.LongTaskNames);
        Assert.Equal(OptimisationGoal.P99Latency, report.Goal);
        Assert.Equal(PrimaryKpi.P99, report.Kpi);
    }

    [Fact]
    public async Task The_same_profile_gets_the_same_history_key()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);

        var first = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch(6));
        var second = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch(7));

        Assert.Equal(first.Fingerprint, second.Fingerprint);
    }

    [Fact]
    public async Task A_batch_whose_long_work_has_its_own_name_and_one_where_it_does_not_keep_separate_histories()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);

        var named = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch(6));
        var sameName = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch(6, sameName: true));
        var sameNameAgain = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch(7, sameName: true));

        Assert.Empty(sameName.LongTaskNames);
        Assert.NotEqual(named.Fingerprint, sameName.Fingerprint);
        Assert.Equal(sameName.Fingerprint, sameNameAgain.Fingerprint);
    }

    [Fact]
    public void Names_shared_by_most_tasks_say_nothing_about_length()
    {
        var groups = TaskGroups.Of([
            .. Enumerable.Range(0, 8).Select(i => new TaskObservation(i, i, "cc1", TimeSpan.Zero, TimeSpan.FromSeconds(1), true, 20_000_000, 0, 1, 1)),
            new TaskObservation(99, 99, "cc1", TimeSpan.Zero, TimeSpan.FromSeconds(1), true, 900_000_000, 0, 1, 1),
            new TaskObservation(98, 98, "ld", TimeSpan.Zero, TimeSpan.FromSeconds(1), true, 800_000_000, 0, 1, 1),
        ]);

        Assert.Equal(["ld"], TaskGroups.LongNames(groups));
    }

    [Fact]
    public async Task The_model_reads_detail_through_a_tool_and_cannot_name_a_task_that_was_not_observed()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);
        var report = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch());
        var model = new ScriptedChatClient()
            .CallTool("get_task_groups", new() { ["limit"] = 3 })
            .Reply("""{"notes": ["one straggler"], "longTaskNames": ["lt-long0", "link-step"]}""")
            .Reply("""{"notes": ["one straggler dominates the makespan"], "longTaskNames": ["lt-long0"]}""");

        var enriched = await ObservationAgent.EnrichForTestAsync(report, model);

        Assert.Equal(0, model.Remaining);
        Assert.Contains(model.Calls[1], m => m.Contents.OfType<FunctionResultContent>().Any(r => r.Result!.ToString()!.Contains("lt-long0", StringComparison.Ordinal)));
        Assert.Contains(model.Calls[2], m => m.Text.Contains("'link-step' was not observed", StringComparison.Ordinal));
        Assert.Equal(["lt-long0"], enriched.LongTaskNames);
        Assert.Contains("Model: one straggler dominates the makespan", enriched.Notes);
    }

    [Fact]
    public async Task A_model_that_keeps_refusing_leaves_the_measured_report_standing()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);
        var report = await agent.DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch());
        var model = new ScriptedChatClient().Reply("I can't help with kernel scheduling.").Reply("Sorry.").Reply("No.");

        var enriched = await ObservationAgent.EnrichForTestAsync(report, model);

        Assert.Equal(report.LongTaskNames, enriched.LongTaskNames);
        Assert.Contains(enriched.Notes, n => n.Contains("no usable observation", StringComparison.Ordinal));
    }
}
