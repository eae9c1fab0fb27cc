using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

public sealed class SchedStatTests
{
    [Fact]
    public void Reads_run_delay_from_field_8_and_timeslices_from_field_9()
    {
        var result = SchedStatParser.Parse(RecordedProc.Text("composed-schedstat-v16-2cpu.txt"));

        Assert.True(result.Succeeded, result.ToString());
        var s = result.Value;
        Assert.Equal(16, s.Version);
        Assert.Equal(4295892311UL, s.Jiffies);
        Assert.Equal(
            new CpuSchedStat(0, YieldCount: 12, ScheduleCount: 1843211, ScheduleIdleCount: 702144, WakeupCount: 1210954,
                WakeupLocalCount: 640381, RunTimeNs: 412398127654, RunDelayNs: 98312554021, Timeslices: 1140987),
            s.Cpus[0]);
        Assert.Equal(1076512UL, s.Cpus[1].Timeslices);
        Assert.Equal(91230047712UL, s.Cpus[1].RunDelayNs);
        Assert.Equal(1140987UL + 1076512UL, s.Total.Timeslices);
    }

    [Fact]
    public void Delta_gives_mean_wait_per_timeslice_and_waiting_tasks()
    {
        var before = SchedStatParser.Parse("version 16\ntimestamp 1\ncpu0 0 0 10 0 0 0 1000000000 500000000 100\n", timestamp: TimeSpan.FromSeconds(1)).Value!;
        var after = SchedStatParser.Parse("version 16\ntimestamp 2\ncpu0 0 0 30 0 0 0 1800000000 900000000 300\n", timestamp: TimeSpan.FromSeconds(2)).Value!;

        var d = SchedStatCollector.Delta(before, after);

        var cpu = Assert.Single(d.Cpus);
        Assert.Equal(200UL, cpu.Timeslices);
        Assert.Equal(200.0, cpu.TimeslicesPerSecond, 9);
        Assert.Equal(0.8, cpu.RunFraction, 9);
        Assert.Equal(0.4, cpu.RunDelayPerSecond, 9);
        Assert.Equal(TimeSpan.FromMilliseconds(2), cpu.MeanRunDelayPerTimeslice);
        Assert.Equal(TimeSpan.FromMilliseconds(4), cpu.MeanTimeslice);
        Assert.Equal(20UL, cpu.Schedules);
    }

    [Theory]
    [InlineData("version 14\ntimestamp 1\ncpu0 1 2 3 4 5 6 7 8 9\n", 1, "schedstat version 15, 16 or 17")]
    [InlineData("timestamp 1\n", 1, "'version N'")]
    [InlineData("version 16\ntimestamp 1\ncpu0 1 0 3 4 5 6 7 8\n", 3, "exactly 9 numbers after 'cpuN'")]
    [InlineData("version 16\ntimestamp 1\ncpu0 1 0 3 4 5 6 7 8 9 10\n", 3, "exactly 9 numbers after 'cpuN'")]
    [InlineData("version 16\ntimestamp 1\ncpuX 1 0 3 4 5 6 7 8 9\n", 3, "'cpuN' with N a CPU number")]
    [InlineData("version 16\ntimestamp 1\n", 0, "at least one 'cpuN' line")]
    public void Rejects_malformed_text_naming_line_and_expectation(string text, int line, string expected)
    {
        var result = SchedStatParser.Parse(text, "schedstat");

        Assert.Equal(MetricsFailureKind.Malformed, result.Failure!.Kind);
        Assert.Equal(line, result.Failure.Line);
        Assert.Equal(expected, result.Failure.Expected);
        Assert.Equal("schedstat", result.Failure.File);
    }

    [Fact]
    public void Collector_explains_a_kernel_without_schedstats()
    {
        using var root = new TempRoot();

        var result = new SchedStatCollector(root.Path).Capture();

        Assert.Equal(MetricsFailureKind.Unavailable, result.Failure!.Kind);
        Assert.Contains("CONFIG_SCHEDSTATS", result.Failure.Remedy, StringComparison.Ordinal);
    }
}
