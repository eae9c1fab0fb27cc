using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Tests.Sandbox;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

/// <summary>EEVDF and sched_ext schedulers measured in one guest, repeats interleaved.</summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class SideBySideSessionTests(ITestOutputHelper output)
{
    [SandboxFact]
    public async Task Eevdf_and_schedulers_run_in_one_guest_and_a_scheduler_that_errors_is_reported_not_measured()
    {
        var workload = BenchmarkWorkload.LongTail(shortTasks: 3, longTasks: 1, shortMs: 10, longMs: 40);
        var session = await new WorkloadRunner().RunSideBySideInSandboxAsync(
            TestSandbox.Runner(output), [workload], repeats: 2,
            [new BpfObjectScheduler(TestSandbox.BpfObject("fifo")), new BpfObjectScheduler(TestSandbox.BpfObject("error")) { Rodata = new Dictionary<string, string> { ["error_after"] = "20" } }]);
        foreach (var arm in session.Arms)
        {
            output.WriteLine($"{arm.Label}: healthy={arm.Healthy} runs={arm.Runs.Count} problem={arm.Problem}");
        }

        Assert.Null(session.Failure);
        Assert.Equal(["EEVDF", "fifo", "error"], session.Arms.Select(a => a.Label));
        Assert.True(session.Baseline!.Healthy);
        Assert.Equal(2, session.Baseline.Values("longtail", "makespan_ms").Count);

        var fifo = session.Candidates[0];
        Assert.True(fifo.Healthy, fifo.Problem);
        Assert.All(fifo.Values("longtail", "makespan_ms"), m => Assert.InRange(m, 40, 60_000));

        // The error scheduler calls scx_bpf_error at once: the kernel ejects it, and the arm says so instead of
        // passing EEVDF's numbers off as its own.
        var error = session.Candidates[1];
        Assert.False(error.Healthy);
        Assert.False(error.AttachedEveryRepeat);
        Assert.NotNull(error.Problem);
        Assert.True(error.DetachedCleanly);
    }

    [SandboxFact]
    public async Task Longjob_runs_the_task_names_it_learned_to_be_long_first()
    {
        // 6 short tasks of 30 ms and one of 200 ms on 2 CPUs: under fair sharing the long one finishes last, long
        // after the short ones; started first on its own CPU it finishes close to its own length.
        var workload = BenchmarkWorkload.LongTail(shortTasks: 6, longTasks: 1, shortMs: 30, longMs: 200);
        var longjob = new BpfObjectScheduler(TestSandbox.BpfObject("longjob"))
        {
            Rodata = new Dictionary<string, string> { ["long_comm0"] = "lt-long0" },
        };
        // Five repeats judged by their medians: on a busy host one run in which the guest's CPUs were preempted at the wrong
        // moment moves a mean of three past the limit, but not a median of five.
        var session = await new WorkloadRunner().RunSideBySideInSandboxAsync(TestSandbox.Runner(output), [workload], repeats: 5, [longjob]);
        foreach (var arm in session.Arms)
        {
            foreach (var run in arm.Runs.Where(r => r.Result is not null))
            {
                output.WriteLine($"{arm.Label} #{run.Repeat}: " + string.Join(" ", run.Result!.Tasks.Select(t => $"{t.Name}@{t.CompletionMs:F0}")));
            }

            output.WriteLine($"{arm.Label}: makespan {string.Join(", ", arm.Values("longtail", "makespan_ms"))}; long done {string.Join(", ", arm.Values("longtail", "long_max_ms"))}; {arm.Problem}");
        }

        Assert.Null(session.Failure);
        Assert.True(session.Candidates[0].Healthy, session.Candidates[0].Problem);
        var eevdf = Median(session.Baseline!.Values("longtail", "long_max_ms"));
        var learned = Median(session.Candidates[0].Values("longtail", "long_max_ms"));
        Assert.True(learned < 0.9 * eevdf, $"the long task finished at {learned:F0} ms (median) under longjob and {eevdf:F0} ms under EEVDF: not run first.");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
