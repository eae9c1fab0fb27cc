using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Tests.Sandbox;
using SchedCP.Kernel.Tests.Workloads;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Analysis;

/// <summary>
/// Profiles computed from real runs of the benchmark workloads, observed where the loop observes them: in the sched_ext
/// guest, by the kernel's own per-task records, with CPU hogs on every host core. Each is classified as what it was
/// built to be, and every task the workload forks is counted.
/// </summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class WorkloadClassificationTests(ITestOutputHelper output)
{
    [SandboxFact]
    public async Task Longtail_is_a_cpu_bound_batch_with_a_long_tail_to_optimise_for_makespan()
    {
        var profile = await Observe(BenchmarkWorkload.LongTail(8, 2, 40, 300));

        Assert.True(profile.Characteristics.CpuBound, Explain(profile));
        Assert.True(profile.Characteristics.LongTail, Explain(profile));
        Assert.False(profile.Characteristics.LatencySensitive, Explain(profile));
        Assert.Equal(OptimisationGoal.Makespan, profile.Goal);
        Assert.Equal(10, profile.Characteristics.TaskCpuMs.Count);
    }

    [SandboxFact]
    public async Task Wakeup_is_latency_sensitive_not_cpu_bound_to_optimise_for_p99()
    {
        var profile = await Observe(BenchmarkWorkload.Wakeup(2, 4, 2));

        Assert.True(profile.Characteristics.LatencySensitive, Explain(profile));
        Assert.False(profile.Characteristics.CpuBound, Explain(profile));
        Assert.False(profile.Characteristics.LongTail, Explain(profile));
        Assert.Equal(OptimisationGoal.P99Latency, profile.Goal);
        Assert.True(profile.Characteristics.PeakThreads >= 10, Explain(profile));
    }

    [SandboxFact]
    public async Task Buildlike_is_a_stream_of_short_cpu_bound_processes_without_a_long_tail()
    {
        var profile = await Observe(BenchmarkWorkload.BuildLike(4, 6, 2, 40));

        Assert.True(profile.Characteristics.ShortLivedProcesses, Explain(profile));
        Assert.True(profile.Characteristics.CpuBound, Explain(profile));
        Assert.False(profile.Characteristics.LongTail, Explain(profile));
        Assert.False(profile.Characteristics.LatencySensitive, Explain(profile));
        Assert.Equal(OptimisationGoal.Makespan, profile.Goal);
        Assert.Equal(24, profile.Characteristics.TaskCpuMs.Count);
    }

    private async Task<WorkloadProfile> Observe(BenchmarkWorkload workload)
    {
        using var hogs = CpuHogs.OnEveryCore();
        var observer = new WorkloadObserver(new WorkloadRunner(TestWorkloads.Directory()), probe: new RunQueueLatencyProbe(TestSandbox.Runner(output)));
        var observation = await observer.ObserveAsync(workload);
        Assert.True(observation.Run!.Succeeded, observation.Run.Failure?.ToString());
        Assert.True(observation.Tree.Complete, observation.Tree.Provenance);
        output.WriteLine(observation.Profile.Summary);
        output.WriteLine(string.Join('\n', observation.Profile.Reasons));
        output.WriteLine(observation.System?.Describe() ?? "");
        return observation.Profile;
    }

    private static string Explain(WorkloadProfile profile) => profile.Summary + "\n" + string.Join('\n', profile.Reasons);
}
