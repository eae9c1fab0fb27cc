using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

public sealed class TaskSchedTests
{
    [Fact]
    public void Parses_run_wait_and_timeslices_of_a_recorded_task_schedstat()
    {
        var result = TaskSchedStat.Parse(RecordedProc.Text("host-pid-schedstat.txt"));

        Assert.Equal(new TaskSchedStat(250071, 270902, 1), result.Value);
    }

    [Fact]
    public void Parses_a_recorded_sched_file_into_keys_and_typed_values()
    {
        var result = TaskSchedInfo.Parse(RecordedProc.Text("host-pid-sched.txt"));

        Assert.True(result.Succeeded, result.ToString());
        var info = result.Value;
        Assert.Equal("sleep", info.Command);
        Assert.Equal(4124, info.Pid);
        Assert.Equal(1, info.Threads);
        Assert.Equal(463348L, info.SumExecRuntimeNs);
        Assert.Equal(new SchedValue(985655014012, IsTime: true), info.Values["se.exec_start"]);
        Assert.Equal(new SchedValue(1400000, IsTime: false), info.Values["se.slice"]);
        Assert.Equal(2L, info.NrSwitches);
        Assert.Equal(-1L, info.Get("numa_preferred_nid"));
        Assert.Null(info.WaitSumNs);
        Assert.Null(info.ExtEnabled);
        Assert.DoesNotContain(info.Values.Keys, k => k.StartsWith("current_node", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_schedstat_keys_and_sched_ext_state_when_the_kernel_prints_them()
    {
        var info = TaskSchedInfo.Parse(RecordedProc.Text("composed-pid-sched-schedstats-on.txt")).Value!;

        Assert.Equal(48212553901L, info.SumExecRuntimeNs);
        Assert.Equal(40877302114L, info.WaitSumNs);
        Assert.Equal(12098L, info.WaitCount);
        Assert.Equal(12098L, info.NrInvoluntarySwitches);
        Assert.Equal(0L, info.NrVoluntarySwitches);
        Assert.Equal(37L, info.NrMigrations);
        Assert.Equal(7L, info.Policy);
        Assert.True(info.ExtEnabled);
    }

    [Fact]
    public void Reads_wait_sum_under_its_pre_5_16_name()
    {
        var text = "java (77, #threads: 30)\n----------\nse.sum_exec_runtime : 5.000001\nse.statistics.wait_sum : 2.5\n";

        var info = TaskSchedInfo.Parse(text).Value!;

        Assert.Equal(5000001L, info.SumExecRuntimeNs);
        Assert.Equal(2500000L, info.WaitSumNs);
        Assert.Equal(30, info.Threads);
    }

    [Fact]
    public void A_command_name_containing_parentheses_is_kept_whole()
    {
        var info = TaskSchedInfo.Parse("my (odd) cmd (12, #threads: 1)\n---\nnr_switches : 3\n").Value!;

        Assert.Equal("my (odd) cmd", info.Command);
        Assert.Equal(12, info.Pid);
    }

    [Theory]
    [InlineData("sleep 4124\n---\n", 1)]
    [InlineData("sleep (4124, #threads: 1)\nnr_switches : 3\n", 2)]
    [InlineData("sleep (4124, #threads: 1)\n---\nnr_switches : three\n", 3)]
    [InlineData("sleep (4124, #threads: 1)\n---\nse.vruntime : 1.1234567\n", 3)]
    public void A_malformed_sched_file_names_the_line(string text, int line)
    {
        var result = TaskSchedInfo.Parse(text);

        Assert.Equal(MetricsFailureKind.Malformed, result.Failure!.Kind);
        Assert.Equal(line, result.Failure.Line);
    }

    [Fact]
    public void Status_gives_context_switches()
    {
        Assert.Equal(new TaskContextSwitches(1, 2), TaskContextSwitches.ParseStatus(RecordedProc.Text("host-pid-status.txt")).Value);
    }

    [Fact]
    public void Collector_falls_back_to_status_when_sched_and_schedstat_are_absent()
    {
        using var root = RecordedProc.Root(("proc/4124/status", RecordedProc.Text("host-pid-status.txt")));

        var snapshot = new TaskSchedCollector(root.Path).Capture(4124).Value!;

        Assert.Equal(1UL, snapshot.VoluntarySwitches);
        Assert.Equal(2UL, snapshot.InvoluntarySwitches);
        Assert.Null(snapshot.RunNs);
        Assert.Null(snapshot.SchedInfo);
    }

    [Fact]
    public void Collector_merges_schedstat_with_sched()
    {
        using var root = RecordedProc.Root(
            ("proc/4242/schedstat", "48212553901 40877302114 12098\n"),
            ("proc/4242/sched", RecordedProc.Text("composed-pid-sched-schedstats-on.txt")));

        var snapshot = new TaskSchedCollector(root.Path).Capture(4242).Value!;

        Assert.Equal(48212553901UL, snapshot.RunNs);
        Assert.Equal(40877302114UL, snapshot.WaitNs);
        Assert.Equal(12098UL, snapshot.Timeslices);
        Assert.Equal(12098UL, snapshot.InvoluntarySwitches);
        Assert.True(snapshot.SchedInfo!.ExtEnabled);
    }

    [Fact]
    public void Collector_reports_a_task_that_does_not_exist_as_gone()
    {
        var result = new TaskSchedCollector().Capture(2_000_000_000);

        Assert.Equal(MetricsFailureKind.ProcessGone, result.Failure!.Kind);
    }

    [Fact]
    public void Delta_gives_cpu_usage_wait_share_and_switch_rates()
    {
        var before = new TaskSnapshot(TimeSpan.FromSeconds(1), 1, 1_000_000_000, 100_000_000, 10, 5, 5, null);
        var after = new TaskSnapshot(TimeSpan.FromSeconds(3), 1, 2_500_000_000, 300_000_000, 30, 25, 9, null);

        var d = TaskSchedCollector.Delta(before, after);

        Assert.Equal(0.75, d.CpuUsage!.Value, 9);
        Assert.Equal(0.1, d.WaitFraction!.Value, 9);
        Assert.Equal(20UL, d.Timeslices);
        Assert.Equal(10.0, d.VoluntarySwitchesPerSecond, 9);
        Assert.Equal(2.0, d.InvoluntarySwitchesPerSecond, 9);
    }
}
