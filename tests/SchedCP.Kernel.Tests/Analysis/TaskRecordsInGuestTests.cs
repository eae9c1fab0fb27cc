using System.Diagnostics;
using System.Text.Json;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Tests.Sandbox;
using SchedCP.Kernel.Tests.Workloads;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Analysis;

/// <summary>
/// The kernel's own record of every task, by BPF in the sched_ext guest, against what the workload itself reports, with
/// host CPU hogs on every core: nothing is sampled, so a busy machine cannot make a task disappear.
/// </summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class TaskRecordsInGuestTests(ITestOutputHelper output)
{
    [SandboxFact]
    public async Task Every_task_of_a_same_name_batch_is_recorded_with_its_fork_order_beside_cpu_hogs()
    {
        using var hogs = CpuHogs.OnEveryCore();
        var workload = BenchmarkWorkload.SameNameLongTail(shortTasks: 24, longTasks: 2, shortMs: 5, longMs: 60, seed: 11);
        var observer = new WorkloadObserver(new WorkloadRunner(TestWorkloads.Directory()), probe: new RunQueueLatencyProbe(TestSandbox.Runner(output)));

        var observation = await observer.ObserveAsync(workload);

        Assert.True(observation.Run!.Succeeded, observation.Run.Failure?.ToString());
        var tree = observation.Tree;
        output.WriteLine(tree.Provenance + $", root {tree.RootProcessId}");
        foreach (var t in tree.Tasks)
        {
            output.WriteLine($"{t.ProcessId}/{t.ThreadId} {t.Name} parent={t.Identity!.ParentThreadId} {t.Identity.ParentName}#{t.Identity.ForkIndex} exec={t.Identity.ExecPath} cpu={t.RunNs / 1e6:F1}ms");
        }
        Assert.Equal(ObservationSource.GuestBpf, tree.Source);
        Assert.True(tree.Complete, tree.Provenance);
        Assert.Equal(ObservationSource.GuestBpf, observation.Profile.Source);

        // The workload's own report: one entry per forked task with its fork position and kind.
        using var report = JsonDocument.Parse(observation.Run.Result!.Json);
        var reported = report.RootElement.GetProperty("tasks").EnumerateArray()
            .Select(t => (Index: t.GetProperty("fork_index").GetInt32(), Long: t.GetProperty("kind").GetString() == "long")).ToArray();
        var work = tree.WorkTasks;
        Assert.Equal(reported.Length, work.Count);
        Assert.All(work, t => Assert.Equal("longtail", t.Name));
        Assert.Equal(reported.Select(r => r.Index).Order(), work.Select(t => t.Identity!.ForkIndex).Order());

        // The two long ones used over 10x the CPU of any short one, at the positions the workload says.
        var longest = work.OrderByDescending(t => t.RunNs).Take(2).Select(t => t.Identity!.ForkIndex).Order().ToArray();
        Assert.Equal(reported.Where(r => r.Long).Select(r => r.Index).Order(), longest);
        Assert.All(work, t => Assert.Equal("longtail", t.Identity!.ParentName));
        Assert.True(observation.Profile.Characteristics.LongTail, string.Join("\n", observation.Profile.Reasons));
    }

    [SandboxFact]
    public async Task Exec_path_and_arguments_of_each_task_are_recorded()
    {
        var probe = new RunQueueLatencyProbe(TestSandbox.Runner(output));

        var run = await probe.RecordTasksInSandboxAsync("for n in 1 22 333; do /bin/sleep 0.0$n & done; wait");

        Assert.True(run.Succeeded, run.ToString() + "\n" + run.Sandbox?.JobLog);
        var tree = run.TaskTree();
        var sleeps = tree.Tasks.Where(t => t.Identity!.ExecPath.EndsWith("sleep", StringComparison.Ordinal)).ToArray();
        foreach (var t in tree.Tasks)
        {
            output.WriteLine($"{t.ThreadId} {t.Name} parent={t.Identity!.ParentName}#{t.Identity.ForkIndex} exec={t.Identity.ExecPath} argv=[{string.Join(' ', t.Identity.Argv)}] cpu={t.RunNs}");
        }

        Assert.Equal(3, sleeps.Length);
        Assert.Equal(["0.01", "0.022", "0.0333"], sleeps.Select(s => s.Identity!.Argv[^1]).Order(StringComparer.Ordinal));
        Assert.Equal(3, sleeps.Select(s => s.Identity!.ArgvFingerprint).Distinct().Count());
        Assert.Equal([0, 1, 2], sleeps.Select(s => s.Identity!.ForkIndex).Order());
    }
}

/// <summary>Busy loops on every host core for the life of a test: the busy machine a user's tests run beside.</summary>
internal sealed class CpuHogs : IDisposable
{
    private readonly List<Process> _hogs = [];

    private CpuHogs(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _hogs.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!);
        }
    }

    public static CpuHogs OnEveryCore() => new(Environment.ProcessorCount);

    public void Dispose()
    {
        foreach (var hog in _hogs)
        {
            try
            {
                hog.Kill();
                hog.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }

            hog.Dispose();
        }
    }
}
