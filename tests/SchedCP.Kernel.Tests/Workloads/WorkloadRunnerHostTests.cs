using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

/// <summary>The real binaries on the host, small sizes: each prints the JSON its parser expects.</summary>
public sealed class WorkloadRunnerHostTests
{
    [WorkloadFact]
    public async Task Longtail_reports_a_makespan_no_shorter_than_its_longest_task()
    {
        var run = await new WorkloadRunner(TestWorkloads.Directory()).RunOnHostAsync(BenchmarkWorkload.LongTail(3, 1, 10, 60));

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal(4, run.Result!.Tasks.Count);
        Assert.Single(run.Result.Tasks, t => t.IsLong);
        Assert.True(run.Result.MakespanMs >= 60, run.Result.ToString());
        Assert.All(run.Result.Tasks, t => Assert.StartsWith("lt-", t.Name, StringComparison.Ordinal));
    }

    [WorkloadFact]
    public async Task Wakeup_reports_ordered_percentiles_and_throughput()
    {
        var run = await new WorkloadRunner(TestWorkloads.Directory()).RunOnHostAsync(BenchmarkWorkload.Wakeup(1, 2, 1));

        Assert.True(run.Succeeded, run.Failure?.ToString());
        var r = run.Result!;
        Assert.True(r.RequestsPerSecond > 0);
        Assert.True(r.Get("p50_us") <= r.Get("p90_us") && r.Get("p90_us") <= r.P99Microseconds && r.P99Microseconds <= r.Get("p999_us"), r.ToString());
    }

    [WorkloadFact]
    public async Task Buildlike_reports_a_makespan_and_its_critical_path()
    {
        var run = await new WorkloadRunner(TestWorkloads.Directory()).RunOnHostAsync(BenchmarkWorkload.BuildLike(2, 3, 2, 10));

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal(6, run.Result!.Get("tasks"));
        Assert.True(run.Result.MakespanMs >= run.Result.Get("critical_path_ms") * 0.9, run.Result.ToString());
    }

    [WorkloadFact]
    public async Task Bad_arguments_are_a_typed_non_zero_exit()
    {
        var run = await new WorkloadRunner(TestWorkloads.Directory()).RunOnHostAsync(new BenchmarkWorkload("longtail", ["--short", "x"]));

        Assert.Equal(WorkloadFailureKind.ExitedNonZero, run.Failure!.Kind);
        Assert.Contains("invalid value", run.Failure.Message, StringComparison.Ordinal);
    }
}
