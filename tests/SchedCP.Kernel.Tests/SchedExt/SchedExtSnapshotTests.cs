using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Tests.SchedExt;

public sealed class SchedExtSnapshotTests
{
    [Fact]
    public void Parses_a_sample_line_written_by_the_trial_script()
    {
        var s = SchedExtSnapshot.ParseLine("running state=enabled ops=schedcp_fifo enable_seq=1 nr_rejected=0 switch_all=1 hotplug_seq=2 t=4.51");

        Assert.Equal(new SchedExtSnapshot("running", "enabled", "schedcp_fifo", 1, 0, true, 2, 4.51), s);
        Assert.True(s!.IsEnabled);
    }

    [Fact]
    public void Missing_values_read_as_empty_or_minus_one()
    {
        var s = SchedExtSnapshot.ParseLine("before state=disabled ops= enable_seq= nr_rejected=0 switch_all=0 hotplug_seq=0 t=1.0");

        Assert.Equal("", s!.Ops);
        Assert.Equal(-1, s.EnableSeq);
        Assert.False(s.IsEnabled);
    }

    [Theory]
    [InlineData("")]
    [InlineData("state=enabled ops=x")]
    public void Line_without_a_label_is_not_a_snapshot(string line) => Assert.Null(SchedExtSnapshot.ParseLine(line));
}
