using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class RunQueueLatencyReportTests
{
    // Printed by schedcp-probe on the host (6.18 kernel) around `sh -c 'for i in 1 2 3; do sleep 0.15 & done; wait'`, per_comm shortened.
    private const string Recorded = """
        {"event":"histograms","duration_ms":155.9,"command_status":0,"dropped":0,"runq_latency_us":{"count":137,"sum":12345,"slots":[14,10,7,30,53,8,3,3,1,4,3,1]},"process_lifetime_us":{"count":4,"sum":614344,"slots":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4]},"thread_lifetime_us":{"count":0,"sum":0,"slots":[]},"per_comm":[{"comm":"tokio-rt-worker","count":4,"sum":48,"slots":[1,0,0,1,2]},{"comm":"sleep","count":9,"sum":301,"slots":[0,2,3,1,1,2]},{"comm":"say \"hi\"","count":1,"sum":3,"slots":[0,1]}]}
        """;

    [Fact]
    public void Reads_the_line_the_probe_prints()
    {
        Assert.True(RunQueueLatencyReport.TryParse(Recorded, out var report, out var failure), failure?.ToString());

        Assert.Equal(155.9, report!.Duration.TotalMilliseconds, 3);
        Assert.Equal(0, report.CommandExitCode);
        Assert.Equal(0, report.Dropped);
        Assert.Equal(137, report.RunQueueLatency.Count);
        Assert.Equal(12345 / 137.0, report.RunQueueLatency.Mean, 6);
        Assert.Equal(12, report.RunQueueLatency.Slots.Count);
        Assert.Equal(4, report.ProcessLifetimes.Count);
        Assert.InRange(report.ProcessLifetimes.P50, 131072, 262144);
        Assert.Equal(0, report.ThreadLifetimes.Count);
        Assert.Equal(9, report.ForCommand("sleep").Count);
        Assert.Equal(1, report.ForCommand("say \"hi\"").Count);
        Assert.Equal(0, report.ForCommand("absent").Count);
        Assert.Contains("137 waits for a CPU", report.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_run_has_no_command_status()
    {
        var line = Recorded.Replace("\"command_status\":0", "\"command_status\":null", StringComparison.Ordinal);

        Assert.True(RunQueueLatencyReport.TryParse(line, out var report, out _));
        Assert.Null(report!.CommandExitCode);
    }

    [Fact]
    public void The_readers_own_error_is_a_typed_refusal_naming_the_stage()
    {
        var text = """{"event":"error","stage":"load","message":"the kernel refused the probe (Invalid argument): libbpf: prog 'on_switch': failed"}""";

        Assert.False(RunQueueLatencyReport.TryParse(text, out var report, out var failure));
        Assert.Null(report);
        Assert.Equal(ProbeFailureKind.ProbeRefused, failure!.Kind);
        Assert.Contains("at load", failure.Message, StringComparison.Ordinal);
        Assert.Contains("on_switch", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello\n")]
    [InlineData("{\"event\":\"opened\"}")]
    [InlineData("{\"event\":\"histograms\",\"duration_ms\":1}")]
    [InlineData("{\"event\":\"histograms\",\"duration_ms\":1,\"command_status\":null,\"runq_latency_us\":{\"count\":1,\"sum\":1,\"slots\":[-1]},\"process_lifetime_us\":{\"count\":0,\"sum\":0,\"slots\":[]},\"thread_lifetime_us\":{\"count\":0,\"sum\":0,\"slots\":[]},\"per_comm\":[]}")]
    [InlineData("{\"event\":\"histograms\"")]
    public void Output_that_is_not_the_histogram_line_is_malformed(string text)
    {
        Assert.False(RunQueueLatencyReport.TryParse(text, out _, out var failure));
        Assert.Equal(ProbeFailureKind.MalformedOutput, failure!.Kind);
    }

    [Fact]
    public async Task A_toolchain_built_before_the_probe_is_refused_before_any_boot()
    {
        var dir = Directory.CreateTempSubdirectory("schedcp-old-toolchain-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "bin"));
            foreach (var f in new[] { "bzImage", "initramfs.cpio.gz", "bin/schedcp-loader" })
            {
                await File.WriteAllTextAsync(Path.Combine(dir, f), "");
            }

            var probe = new RunQueueLatencyProbe(new SandboxRunner(new SandboxOptions { ToolchainDirectory = dir }), dir);
            var run = await probe.RunInSandboxAsync("true");

            Assert.False(run.Succeeded);
            Assert.Equal(ProbeFailureKind.ToolchainWithoutProbe, run.Failure!.Kind);
            Assert.Contains("schedcp-probe", run.Failure.Message, StringComparison.Ordinal);
            Assert.Null(run.Sandbox);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Blank_commands_are_refused()
    {
        var probe = new RunQueueLatencyProbe(new SandboxRunner(new SandboxOptions()));

        await Assert.ThrowsAsync<ArgumentException>(() => probe.RunInSandboxAsync(Array.Empty<string>()));
        await Assert.ThrowsAsync<ArgumentException>(() => probe.RunInSandboxAsync(["true", " "]));
    }
}
