using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Tests.Sandbox;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

/// <summary>Debian's programs run in the guest under EEVDF and a sched_ext scheduler, and the KPI they print is read.</summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class ThirdPartyWorkloadsInGuestTests(ITestOutputHelper output)
{
    [SandboxFact]
    public Task Cyclictest_reports_a_wakeup_latency_under_eevdf_and_fifo() =>
        RunAsync(ThirdPartyWorkloads.Cyclictest(loops: 300), "p99_latency_us", min: 1, max: 10_000_000);

    [SandboxFact]
    public Task Stress_ng_reports_its_cpu_rate_under_eevdf_and_fifo() =>
        RunAsync(ThirdPartyWorkloads.StressNg(seconds: 2), "cpu_bogo_ops_per_second", min: 0.01, max: 1e9);

    [SandboxFact]
    public Task Sysbench_cpu_reports_events_per_second_under_eevdf_and_fifo() =>
        RunAsync(ThirdPartyWorkloads.SysbenchCpu(threads: 2, seconds: 2), "events_per_second", min: 0.01, max: 1e9);

    [SandboxFact]
    public Task Sysbench_threads_reports_its_events_under_eevdf_and_fifo() =>
        RunAsync(ThirdPartyWorkloads.SysbenchThreads(threads: 4, seconds: 2), "events", min: 1, max: 1e12);

    [SandboxFact]
    public Task Make_j_builds_the_kconfig_sources_under_eevdf_and_fifo() =>
        RunAsync(ThirdPartyWorkloads.MakeJobs(jobs: 2), "makespan_ms", min: 1, max: 600_000);

    private async Task RunAsync(BenchmarkWorkload workload, string metric, double min, double max)
    {
        var session = await new WorkloadRunner(TestWorkloads.Directory()).RunSideBySideInSandboxAsync(
            TestSandbox.Runner(output), [workload], repeats: 1, [new BpfObjectScheduler(TestSandbox.BpfObject("fifo"))],
            timeout: TimeSpan.FromMinutes(8));
        Assert.Null(session.Failure);
        foreach (var arm in session.Arms)
        {
            output.WriteLine($"{arm.Label}: healthy={arm.Healthy} problem={arm.Problem}");
            foreach (var run in arm.Runs)
            {
                output.WriteLine($"  {run.Result?.ToString() ?? run.Failure?.ToString()}\n  {run.Stderr}");
            }

            Assert.True(arm.Healthy, arm.Problem);
            var value = Assert.Single(arm.Values(workload.Name, metric));
            Assert.InRange(value, min, max);
        }
    }
}
