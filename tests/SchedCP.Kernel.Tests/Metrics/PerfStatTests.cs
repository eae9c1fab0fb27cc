using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

public sealed class PerfStatTests
{
    [Fact]
    public void Parses_recorded_output_from_a_vm_without_hardware_counters()
    {
        var report = PerfStatParser.Parse(RecordedProc.Text("host-perf-stat-sleep.csv")).Value!;

        Assert.Equal(["cycles", "instructions", "context-switches", "cpu-migrations", "task-clock"], report.Counters.Select(c => c.Event));
        Assert.Equal(PerfCounterStatus.NotSupported, report.Find("cycles")!.Status);
        Assert.Null(report.ValueOf("cycles"));
        Assert.Equal(1.0, report.ValueOf("context-switches"));
        var clock = report.Find("task-clock")!;
        Assert.Equal(1.00, clock.Value);
        Assert.Equal("msec", clock.Unit);
        Assert.Equal(100.0, clock.RunningPercent);
        Assert.Equal(0.005, clock.MetricValue);
        Assert.Equal("CPUs utilized", clock.MetricUnit);
        Assert.Null(report.InstructionsPerCycle);
    }

    [Fact]
    public void Finds_events_printed_with_a_privilege_modifier_and_computes_ipc()
    {
        var report = PerfStatParser.Parse("2000,,cycles:u,100,100.00,,\n3000,,instructions:u,100,100.00,1.50,insn per cycle\n").Value!;

        Assert.Equal(2000.0, report.ValueOf("cycles"));
        Assert.Equal(1.5, report.InstructionsPerCycle);
    }

    [Fact]
    public void Keeps_a_pmu_event_name_that_contains_commas()
    {
        var report = PerfStatParser.Parse("42,,cpu/event=0x3c,umask=0x00/,1000,100.00,,\n").Value!;

        Assert.Equal("cpu/event=0x3c,umask=0x00/", Assert.Single(report.Counters).Event);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("# started on Mon\n\n", 0)]
    [InlineData("abc,,cycles,0,100.00,,\n", 1)]
    [InlineData("1,,cycles,0,lots,,\n", 1)]
    [InlineData("1\n", 1)]
    public void Rejects_text_that_is_not_perf_csv(string text, int line)
    {
        var failure = PerfStatParser.Parse(text).Failure!;

        Assert.Equal(MetricsFailureKind.Malformed, failure.Kind);
        Assert.Equal(line, failure.Line);
    }

    [Fact]
    public void No_countable_event_is_reported_as_counters_not_supported()
    {
        var result = new PerfStatRunner().Interpret("<not supported>,,cycles,0,100.00,,\n<not counted>,,instructions,0,0.00,,\n", "", 0, TimeSpan.FromSeconds(1));

        Assert.Equal(MetricsFailureKind.CountersNotSupported, result.Failure!.Kind);
        Assert.Contains("cycles: NotSupported", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Debian_wrapper_without_a_matching_perf_is_reported_as_not_installed()
    {
        var stderr = "/usr/bin/perf: line 13: exec: perf_6.18: not found\nE: linux-perf-6.18 is not installed.\nWARNING: perf not found for kernel 6.18\n";

        var result = new PerfStatRunner().Interpret("", stderr, 1, TimeSpan.Zero);

        Assert.Equal(MetricsFailureKind.PerfNotInstalled, result.Failure!.Kind);
        Assert.Contains("linux-perf", result.Failure.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Paranoid_kernel_is_reported_with_the_sysctl_to_change()
    {
        var result = new PerfStatRunner().Interpret("", "Error:\nAccess to performance monitoring and observability operations is limited.\n", 255, TimeSpan.Zero);

        Assert.Equal(MetricsFailureKind.PerfFailed, result.Failure!.Kind);
        Assert.Contains("perf_event_paranoid", result.Failure.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_perf_executable_that_does_not_exist_is_reported_as_not_installed()
    {
        var runner = new PerfStatRunner(Path.Combine(Path.GetTempPath(), "no-such-perf-" + Guid.NewGuid().ToString("N")));

        var result = await runner.RunAsync(PerfStatRequest.ForCommand("true"));

        Assert.Equal(MetricsFailureKind.PerfNotInstalled, result.Failure!.Kind);
    }

    [Fact]
    public async Task Event_names_that_could_smuggle_arguments_are_refused()
    {
        var request = PerfStatRequest.ForCommand("true") with { Events = ["cycles --output=/etc/passwd"] };

        await Assert.ThrowsAsync<ArgumentException>(() => new PerfStatRunner("perf").RunAsync(request));
    }
}
