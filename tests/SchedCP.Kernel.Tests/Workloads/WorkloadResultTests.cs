using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

public sealed class WorkloadResultTests
{
    [Fact]
    public void Longtail_output_parses_metrics_and_tasks()
    {
        var result = WorkloadResult.TryParse("""
            noise before
            {"workload":"longtail","short_tasks":1,"long_tasks":1,"makespan_ms":120.5,"tasks":[{"name":"lt-short0","kind":"short","burn_ms":10,"completion_ms":20.5},{"name":"lt-long0","kind":"long","burn_ms":100,"completion_ms":120.5}]}
            """, out var failure);

        Assert.Null(failure);
        Assert.Equal("longtail", result!.Workload);
        Assert.Equal(120.5, result.MakespanMs);
        Assert.Equal(2, result.Tasks.Count);
        Assert.True(result.Tasks[1].IsLong);
        Assert.Equal(20.5, result.Tasks[0].CompletionMs);
    }

    [Fact]
    public void Wakeup_output_exposes_percentiles_and_throughput()
    {
        var result = WorkloadResult.TryParse("""{"workload":"wakeup","p50_us":10.0,"p99_us":99.5,"requests_per_second":1234.5}""", out _);

        Assert.Equal(99.5, result!.P99Microseconds);
        Assert.Equal(1234.5, result.RequestsPerSecond);
        Assert.Empty(result.Tasks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"makespan_ms\":1}")]
    [InlineData("{\"workload\":\"longtail\",\"tasks\":[{\"name\":\"x\"}]}")]
    [InlineData("{broken}")]
    public void Unreadable_output_is_a_typed_failure(string stdout)
    {
        var result = WorkloadResult.TryParse(stdout, out var failure);

        Assert.Null(result);
        Assert.Equal(WorkloadFailureKind.MalformedOutput, failure!.Kind);
        Assert.NotEmpty(failure.Remedy);
    }

    [Fact]
    public void Task_name_prefix_that_would_overflow_the_kernel_name_is_refused() =>
        Assert.Throws<ArgumentException>(() => BenchmarkWorkload.LongTail(taskNamePrefix: "much-too-long"));
}
