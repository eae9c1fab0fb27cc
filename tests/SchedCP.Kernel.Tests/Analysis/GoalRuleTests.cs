using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class GoalRuleTests
{
    private static TaskObservation Thread(int tid, string name, double cpuMs, ulong voluntary) =>
        new(100, tid, name, TimeSpan.Zero, TimeSpan.FromSeconds(2), true, (ulong)(cpuMs * 1e6), (ulong)(cpuMs * 0.5e6), voluntary, 100);

    [Fact]
    public void Sleeping_threads_that_differ_in_cpu_time_are_a_latency_workload_not_a_batch()
    {
        // A server: two dispatchers use five times the CPU of the eight workers they wake, thousands of times a second.
        var tasks = new List<TaskObservation> { Thread(100, "server", 1, 10) };
        tasks.AddRange(Enumerable.Range(0, 2).Select(i => Thread(101 + i, "dispatch", 360, 4000)));
        tasks.AddRange(Enumerable.Range(0, 8).Select(i => Thread(110 + i, "worker", 66, 1000)));
        var tree = new ProcessTreeObservation(100, TimeSpan.FromSeconds(2), 0, tasks, tasks.Count);

        var profile = WorkloadProfiler.Profile("server", tree);

        // Their CPU times have a tail, but every thread lives the whole run: roles, not jobs of a batch.
        Assert.False(profile.Characteristics.LongTail, string.Join('\n', profile.Reasons));
        Assert.Contains(profile.Reasons, r => r.Contains("longest/median lifetime 1.0×", StringComparison.Ordinal));
        Assert.False(profile.Characteristics.CpuBound);
        Assert.True(profile.Characteristics.LatencySensitive);
        Assert.Equal(OptimisationGoal.P99Latency, profile.Goal);
    }
}
