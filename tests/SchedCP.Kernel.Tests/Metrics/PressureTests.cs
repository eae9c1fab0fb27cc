using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

public sealed class PressureTests
{
    [Fact]
    public void Parses_a_recorded_cpu_pressure_file()
    {
        var s = PressureParser.Parse(RecordedProc.Text("host-pressure-cpu.txt")).Value!;

        Assert.Equal(new PressureLine(40.37, 38.46, 37.28, 258722969), s.Some);
        Assert.Equal(new PressureLine(0, 0, 0, 0), s.Full);
    }

    [Fact]
    public void A_kernel_without_a_full_line_gives_no_full_pressure()
    {
        var s = PressureParser.Parse("some avg10=1.00 avg60=2.00 avg300=3.00 total=400\n").Value!;

        Assert.Null(s.Full);
        Assert.Equal(400UL, s.Some.TotalMicroseconds);
    }

    [Fact]
    public void Delta_turns_stalled_microseconds_into_a_share_of_the_interval()
    {
        var before = PressureParser.Parse("some avg10=0 avg60=0 avg300=0 total=1000000\nfull avg10=0 avg60=0 avg300=0 total=0\n", timestamp: TimeSpan.FromSeconds(1)).Value!;
        var after = PressureParser.Parse("some avg10=0 avg60=0 avg300=0 total=1500000\nfull avg10=0 avg60=0 avg300=0 total=100000\n", timestamp: TimeSpan.FromSeconds(3)).Value!;

        var d = PressureCollector.Delta(before, after);

        Assert.Equal(0.25, d.SomeStallFraction, 9);
        Assert.Equal(0.05, d.FullStallFraction!.Value, 9);
    }

    [Theory]
    [InlineData("some avg10=1.00 avg60=2.00 total=4\n", 1)]
    [InlineData("some avg10=1.00 avg60=2.00 avg300=3.00 total=4\nsome avg10=1.00 avg60=2.00 avg300=3.00 total=4\n", 2)]
    [InlineData("full avg10=1.00 avg60=2.00 avg300=3.00 total=4\n", 0)]
    [InlineData("half avg10=1.00\n", 1)]
    [InlineData("some avg10=NaN avg60=2.00 avg300=3.00 total=4\n", 1)]
    public void Rejects_malformed_pressure_text(string text, int line)
    {
        var failure = PressureParser.Parse(text).Failure!;

        Assert.Equal(MetricsFailureKind.Malformed, failure.Kind);
        Assert.Equal(line, failure.Line);
    }

    [Fact]
    public void Parses_a_recorded_loadavg()
    {
        var l = PressureParser.ParseLoadAverage(RecordedProc.Text("host-loadavg.txt")).Value!;

        Assert.Equal(3.40, l.Load1);
        Assert.Equal(3.33, l.Load5);
        Assert.Equal(1.95, l.Load15);
        Assert.Equal(10UL, l.Runnable);
        Assert.Equal(177UL, l.Tasks);
        Assert.Equal(4123UL, l.LastPid);
    }

    [Theory]
    [InlineData("1.0 2.0 3.0 4 5\n")]
    [InlineData("1.0 2.0 3.0 4/5\n")]
    [InlineData("1.0 2.0 3.0 4/5 6 7\n")]
    [InlineData("1.0 2.0 3.0 4/5 6")]
    public void Rejects_malformed_loadavg(string text) =>
        Assert.Equal(MetricsFailureKind.Malformed, PressureParser.ParseLoadAverage(text).Failure!.Kind);

    [Fact]
    public void Collector_explains_a_kernel_without_psi()
    {
        using var root = new TempRoot();

        var failure = new PressureCollector(root.Path).Capture().Failure!;

        Assert.Equal(MetricsFailureKind.Unavailable, failure.Kind);
        Assert.Contains("CONFIG_PSI", failure.Remedy, StringComparison.Ordinal);
    }
}
