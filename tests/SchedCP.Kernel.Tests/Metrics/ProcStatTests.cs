using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

public sealed class ProcStatTests
{
    [Fact]
    public void Parses_every_counter_of_a_recorded_host_file()
    {
        var result = ProcStatParser.Parse(RecordedProc.Text("host-proc-stat.txt"));

        Assert.True(result.Succeeded, result.ToString());
        var s = result.Value;
        Assert.Equal(new CpuTimes(-1, 114725, 2146, 25661, 51818, 2319, 0, 205, 2733, 0, 0), s.Total);
        Assert.Equal(2, s.Cpus.Count);
        Assert.Equal(new CpuTimes(0, 57857, 917, 11502, 27653, 569, 0, 19, 1341, 0, 0), s.Cpus[0]);
        Assert.Equal(new CpuTimes(1, 56868, 1229, 14159, 24165, 1750, 0, 186, 1391, 0, 0), s.Cpus[1]);
        Assert.Equal(1673583UL, s.ContextSwitches);
        Assert.Equal(36584UL, s.ProcessesCreated);
        Assert.Equal(10UL, s.ProcsRunning);
        Assert.Equal(0UL, s.ProcsBlocked);
        Assert.Equal(1795422709UL, s.BootTime);
    }

    [Fact]
    public void Delta_gives_utilisation_per_cpu_and_rates_per_second()
    {
        var before = ProcStatParser.Parse(Stat("cpu  100 0 100 800 0 0 0 0 0 0", "cpu0 50 0 50 400 0 0 0 0 0 0", "cpu1 50 0 50 400 0 0 0 0 0 0", 1000, 10),
            timestamp: TimeSpan.FromSeconds(10)).Value!;
        var after = ProcStatParser.Parse(Stat("cpu  240 0 160 900 0 0 0 0 0 0", "cpu0 140 0 60 400 0 0 0 0 0 0", "cpu1 100 0 100 500 0 0 0 0 0 0", 3000, 30),
            timestamp: TimeSpan.FromSeconds(12)).Value!;

        var d = ProcStatCollector.Delta(before, after);

        Assert.Equal(TimeSpan.FromSeconds(2), d.Interval);
        Assert.Equal(1.0, d.Cpus[0].Busy, 9);
        Assert.Equal(0.9, d.Cpus[0].User, 9);
        Assert.Equal(0.5, d.Cpus[1].Busy, 9);
        Assert.Equal(0.5, d.Cpus[1].Idle, 9);
        Assert.Equal(200.0 / 300, d.Total.Busy, 9);
        Assert.Equal(1000.0, d.ContextSwitchesPerSecond, 9);
        Assert.Equal(10.0, d.ProcessesCreatedPerSecond, 9);
    }

    [Fact]
    public void Delta_clamps_counters_that_step_back_at_zero()
    {
        // iowait can decrease on NOHZ kernels.
        var before = ProcStatParser.Parse(Stat("cpu  0 0 0 100 50 0 0 0", "cpu0 0 0 0 100 50 0 0 0", 1, 1)).Value!;
        var after = ProcStatParser.Parse(Stat("cpu  10 0 0 190 40 0 0 0", "cpu0 10 0 0 190 40 0 0 0", 1, 1)).Value!;

        var d = ProcStatCollector.Delta(before, after);

        Assert.Equal(0.0, d.Cpus[0].IoWait);
        Assert.Equal(100UL, d.Cpus[0].Ticks);
        Assert.Equal(0.1, d.Cpus[0].Busy, 9);
    }

    [Fact]
    public void A_cpu_line_with_too_few_numbers_names_the_file_and_line()
    {
        var result = ProcStatParser.Parse("cpu  1 2 3 4 5 6 7 8\ncpu0 1 2 3\nctxt 1\n", "recorded/stat");

        Assert.False(result.Succeeded);
        Assert.Equal(MetricsFailureKind.Malformed, result.Failure.Kind);
        Assert.Equal("recorded/stat", result.Failure.File);
        Assert.Equal(2, result.Failure.Line);
        Assert.Contains("cpu0", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_missing_its_ctxt_line_says_so()
    {
        var result = ProcStatParser.Parse("cpu  1 2 3 4 5 6 7 8\ncpu0 1 2 3 4 5 6 7 8\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n");

        Assert.Equal(MetricsFailureKind.Malformed, result.Failure!.Kind);
        Assert.Equal("a 'ctxt' line", result.Failure.Expected);
    }

    [Fact]
    public void Text_cut_off_mid_line_is_reported_as_truncated()
    {
        var text = RecordedProc.Text("host-proc-stat.txt");

        var result = ProcStatParser.Parse(text[..(text.IndexOf("cpu1", StringComparison.Ordinal) + 10)]);

        Assert.Equal(MetricsFailureKind.Malformed, result.Failure!.Kind);
        Assert.Equal(3, result.Failure.Line);
        Assert.Equal("a line ending in a newline", result.Failure.Expected);
    }

    [Fact]
    public void Collector_reads_stat_under_its_root_and_stamps_it_with_the_time_provider()
    {
        var time = new SteppedTimeProvider();
        using var root = RecordedProc.Root(("proc/stat", RecordedProc.Text("host-proc-stat.txt")));
        var collector = new ProcStatCollector(root.Path, time);

        var first = collector.Capture();
        time.Advance(TimeSpan.FromSeconds(3));
        var second = collector.Capture();

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(3), ProcStatCollector.Delta(first.Value!, second.Value!).Interval);
    }

    [Fact]
    public void Collector_reports_a_missing_file_as_unavailable()
    {
        using var root = new TempRoot();

        var result = new ProcStatCollector(root.Path).Capture();

        Assert.Equal(MetricsFailureKind.Unavailable, result.Failure!.Kind);
        Assert.EndsWith("proc/stat", result.Failure.File, StringComparison.Ordinal);
    }

    private static string Stat(string total, string cpu0, ulong ctxt, ulong processes) =>
        $"{total}\n{cpu0}\nctxt {ctxt}\nprocesses {processes}\nprocs_running 1\nprocs_blocked 0\n";

    private static string Stat(string total, string cpu0, string cpu1, ulong ctxt, ulong processes) =>
        $"{total}\n{cpu0}\n{cpu1}\nintr 5 0 0\nctxt {ctxt}\nbtime 1\nprocesses {processes}\nprocs_running 2\nprocs_blocked 0\nsoftirq 1 2 3\n";
}
