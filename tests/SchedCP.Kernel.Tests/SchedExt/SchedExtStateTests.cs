using Microsoft.Extensions.Time.Testing;
using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Tests.SchedExt;

/// <summary>Typed reads of recorded sysfs trees (as the 6.12 guest kernel lays them out).</summary>
public sealed class SchedExtStateTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("schedcp-sysfs-").FullName;

    [Fact]
    public void Enabled_scheduler_is_read_with_its_ops_name_and_counters()
    {
        Write(state: "enabled", ops: "schedcp_fifo", enableSeq: "3", events: "SCX_EV_SELECT_CPU_FALLBACK 12\nSCX_EV_DISPATCH_KEEP_LAST 0\n");

        Assert.True(new SchedExtState(_root).TryRead(out var s, out var failure), failure?.ToString());
        Assert.Equal(SchedExtRunState.Enabled, s!.State);
        Assert.Equal("schedcp_fifo", s.Ops);
        Assert.Equal(3, s.EnableSeq);
        Assert.True(s.SwitchAll);
        Assert.Equal(12, s.Events["SCX_EV_SELECT_CPU_FALLBACK"]);
    }

    [Fact]
    public void Disabled_state_reports_no_ops_even_if_the_file_is_stale()
    {
        Write(state: "disabled", ops: "schedcp_fifo", enableSeq: "3");

        Assert.True(new SchedExtState(_root).TryRead(out var s, out _));
        Assert.Null(s!.Ops);
        Assert.Empty(s.Events);
    }

    [Fact]
    public void Kernel_without_sched_ext_is_a_typed_failure_with_advice()
    {
        var state = new SchedExtState(Path.Combine(_root, "missing"));

        Assert.False(state.IsSupported);
        Assert.False(state.TryRead(out _, out var failure));
        Assert.Contains("CONFIG_SCHED_CLASS_EXT", failure!.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_returns_when_the_state_appears_and_times_out_otherwise()
    {
        Write(state: "disabled", ops: "", enableSeq: "0");
        var time = new FakeTimeProvider();
        var state = new SchedExtState(_root, time);

        var waiting = state.WaitForAsync(SchedExtRunState.Enabled, TimeSpan.FromSeconds(1), "schedcp_vtime");
        time.Advance(TimeSpan.FromMilliseconds(50));
        Write(state: "enabled", ops: "schedcp_vtime", enableSeq: "1");
        for (var i = 0; i < 20 && !waiting.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Delay(5);
        }

        var (reached, last) = await waiting;
        Assert.True(reached);
        Assert.Equal("schedcp_vtime", last!.Ops);

        var timingOut = state.WaitForAsync(SchedExtRunState.Disabled, TimeSpan.FromMilliseconds(200));
        for (var i = 0; i < 40 && !timingOut.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Delay(5);
        }

        Assert.False((await timingOut).Reached);
    }

    private void Write(string state, string ops, string enableSeq, string? events = null)
    {
        Directory.CreateDirectory(Path.Combine(_root, "root"));
        File.WriteAllText(Path.Combine(_root, "state"), state + "\n");
        File.WriteAllText(Path.Combine(_root, "root", "ops"), ops + "\n");
        File.WriteAllText(Path.Combine(_root, "enable_seq"), enableSeq + "\n");
        File.WriteAllText(Path.Combine(_root, "nr_rejected"), "0\n");
        File.WriteAllText(Path.Combine(_root, "hotplug_seq"), "1\n");
        File.WriteAllText(Path.Combine(_root, "switch_all"), "1\n");
        if (events is not null)
        {
            File.WriteAllText(Path.Combine(_root, "root", "events"), events);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
