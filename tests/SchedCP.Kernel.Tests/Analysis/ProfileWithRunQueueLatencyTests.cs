using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class ProfileWithRunQueueLatencyTests
{
    [Fact]
    public void The_probe_is_quoted_in_the_profile_without_changing_its_classification()
    {
        var tasks = Enumerable.Range(1, 4)
            .Select(i => new TaskObservation(100 + i, 100 + i, "spin", TimeSpan.Zero, TimeSpan.FromSeconds(1), true, 500_000_000, 450_000_000, 2, 300))
            .ToArray();
        var tree = new ProcessTreeObservation(100, TimeSpan.FromSeconds(1), 100, tasks, 4);
        var slots = new long[13];
        slots[11] = 100;
        slots[12] = 10;
        var line = $$"""{"event":"histograms","duration_ms":1000,"command_status":0,"dropped":0,"runq_latency_us":{"count":110,"sum":300000,"slots":[{{string.Join(',', slots)}}]},"process_lifetime_us":{"count":0,"sum":0,"slots":[]},"thread_lifetime_us":{"count":0,"sum":0,"slots":[]},"per_comm":[]}""";
        Assert.True(RunQueueLatencyReport.TryParse(line, out var report, out var failure), failure?.ToString());

        var without = WorkloadProfiler.Profile("spin", tree);
        var with = WorkloadProfiler.Profile("spin", tree, runQueueLatency: report);

        Assert.Equal(without.Goal, with.Goal);
        Assert.Equal(without.Characteristics, with.Characteristics);
        Assert.StartsWith(without.Summary, with.Summary, StringComparison.Ordinal);
        Assert.Contains("110 waits for a CPU", with.Summary, StringComparison.Ordinal);
        Assert.Contains(with.Reasons, r => r.StartsWith("run-queue latency (BPF probe, 110 waits)", StringComparison.Ordinal));
        Assert.DoesNotContain(without.Reasons, r => r.Contains("BPF", StringComparison.Ordinal));
    }
}
