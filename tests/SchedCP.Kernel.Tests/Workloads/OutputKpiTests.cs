using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

public sealed class OutputKpiTests
{
    [Theory]
    [InlineData("Time: [0-9.]+", "exactly one capture group")]
    [InlineData("(a)(b)", "it has 2")]
    [InlineData("Time: ([0-9.]+", "not a valid regular expression")]
    [InlineData("", "1 to 1024 characters")]
    public void A_bad_pattern_is_refused_with_what_is_wrong(string pattern, string expected)
    {
        Assert.False(OutputKpi.TryCreate("kpi", pattern, KpiDirection.LowerIsBetter, OutputKpiAggregate.Last, out var kpi, out var problem));
        Assert.Null(kpi);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_metric_name_is_refused()
    {
        Assert.False(OutputKpi.TryCreate("a b", "(1)", KpiDirection.LowerIsBetter, OutputKpiAggregate.Last, out _, out var problem));
        Assert.Contains("letters, digits or '_'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_match_and_a_capture_that_is_no_number_are_typed_failures()
    {
        var kpi = OutputKpi.Create("t", @"Time: (\S+)", KpiDirection.LowerIsBetter);

        Assert.Null(kpi.TryRead("nothing here\n", out var none));
        Assert.Equal(WorkloadFailureKind.KpiNotFound, none!.Kind);
        Assert.Contains("matched nothing", none.Message, StringComparison.Ordinal);

        Assert.Null(kpi.TryRead("Time: soon\n", out var nan));
        Assert.Equal(WorkloadFailureKind.KpiNotFound, nan!.Kind);
        Assert.Contains("not a number", nan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catastrophic_pattern_times_out_as_a_typed_failure_not_a_hang()
    {
        var kpi = OutputKpi.Create("t", "^(?:a+)+b()", KpiDirection.LowerIsBetter);

        Assert.Null(kpi.TryRead(new string('a', 40_000), out var failure));
        Assert.Equal(WorkloadFailureKind.KpiNotFound, failure!.Kind);
    }

    [Fact]
    public async Task Cyclictests_histogram_gives_the_99th_percentile_over_all_threads_and_counts_overflows_as_the_worst()
    {
        // Two threads, 200 wakeups: 150 at 10 µs, 47 at 50 µs, 1 at 70 µs, 2 past the histogram (the worst, 250 µs).
        // The 99th percentile of 200 is the 198th wakeup: 70 µs. Without the overflows it would be 50 µs.
        const string histogram = "# Histogram\n000010 000100\t000050\n000050 000000\t000047\n000070 000001\t000000\n" +
            "# Total: 000000101 000000097\n# Min Latencies: 00010 00010\n# Avg Latencies: 00020 00030\n" +
            "# Max Latencies: 00070 00250\n# Histogram Overflows: 00000 00002\n";
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, histogram);
            var awk = await new SchedCP.Core.Processes.ProcessRunner().RunAsync(new("awk") { Arguments = [ThirdPartyWorkloads.CyclictestHistogramSummary, file] });
            var line = awk.StandardOutput.Text.Trim();

            Assert.Equal("cyclictest p99_latency_us=70 max_latency_us=250 samples=200 overflows=2", line);
            Assert.Equal(70, ThirdPartyWorkloads.CyclictestP99Latency.TryRead(line + "\n", out _));
            Assert.Equal(250, ThirdPartyWorkloads.CyclictestMaxLatency.TryRead(line + "\n", out _));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Stress_ng_output_gives_the_cpu_stressors_real_time_rate()
    {
        const string output = """
            stress-ng: metrc: [11777] stressor       bogo ops real time  usr time  sys time   bogo ops/s     bogo ops/s
            stress-ng: metrc: [11777]                           (secs)    (secs)    (secs)   (real time) (usr+sys time)
            stress-ng: metrc: [11777] cpu                2133      2.00      1.20      0.00      1066.18        1769.79
            stress-ng: metrc: [11777] switch           455489      2.00      0.19      2.14    227686.31      195676.20
            """;

        Assert.Equal(1066.18, ThirdPartyWorkloads.StressNgCpuOps.TryRead(output, out _));
    }

    [Fact]
    public void Sysbench_output_gives_events_per_second_and_total_events()
    {
        const string output = """
            CPU speed:
                events per second:  2038.37
            General statistics:
                total time:                          1.0039s
                total number of events:              348
            """;

        Assert.Equal(2038.37, ThirdPartyWorkloads.SysbenchEventsPerSecond.TryRead(output, out _));
        Assert.Equal(348, ThirdPartyWorkloads.SysbenchTotalEvents.TryRead(output, out _));
    }
}
