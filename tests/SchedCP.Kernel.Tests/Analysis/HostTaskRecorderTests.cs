using System.Text.Json;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Tests.Workloads;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Analysis;

/// <summary>
/// The task probe on this machine's own kernel (it is CO-RE, so it loads here although this kernel has no sched_ext):
/// with busy loops on every core, every task of a same-name batch is still recorded, with its exact CPU time.
/// Needs the toolchain's probe and root, as CI has.
/// </summary>
[Trait("Category", "Sandbox")]
public sealed class HostTaskRecorderTests(ITestOutputHelper output)
{
    [SandboxFact]
    public async Task Every_task_is_recorded_on_the_host_beside_cpu_hogs_with_its_exact_cpu_time()
    {
        var recorder = HostTaskRecorder.TryCreate(null, out var whyNot);
        Assert.True(recorder is not null, $"no host task recorder: {whyNot}");
        using var hogs = CpuHogs.OnEveryCore();
        var observer = new WorkloadObserver(new WorkloadRunner(TestWorkloads.Directory()), hostRecorder: recorder);

        var observation = await observer.ObserveAsync(BenchmarkWorkload.SameNameLongTail(shortTasks: 30, longTasks: 2, shortMs: 3, longMs: 40, seed: 4));

        output.WriteLine(observation.Tree.Provenance);
        Assert.True(observation.Run!.Succeeded, observation.Run.Failure?.ToString());
        Assert.Equal(ObservationSource.HostBpf, observation.Tree.Source);
        Assert.True(observation.Tree.Complete, observation.Tree.Provenance);
        using var report = JsonDocument.Parse(observation.Run.Result!.Json);
        var reported = report.RootElement.GetProperty("tasks").EnumerateArray().ToArray();
        Assert.Equal(reported.Length, observation.Tree.WorkTasks.Count);
        // On real hardware CPU time is the kernel's own: each task burned what it was told to, within a tick.
        var longIndices = reported.Where(t => t.GetProperty("kind").GetString() == "long").Select(t => t.GetProperty("fork_index").GetInt32()).Order();
        Assert.Equal(longIndices, observation.Tree.WorkTasks.Where(t => t.RunNs > 30_000_000).Select(t => t.Identity!.ForkIndex).Order());
    }
}
