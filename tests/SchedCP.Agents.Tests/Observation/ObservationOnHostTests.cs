using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents.Tests.Observation;

/// <summary>
/// Observes a real batch on the host through procfs polling. Alone in its collection: a poller starved by tests
/// running beside it undercounts short tasks, and the reading would describe the test run, not the workload.
/// </summary>
[Collection(HostTimingGroup.Name)]
public sealed class ObservationOnHostTests
{
    [WorkloadsBuiltFact]
    public async Task The_long_task_of_a_real_batch_is_found_on_the_host()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);

        var report = await agent.ObserveAsync(new OptimizationRequest(Observations.LongTail), null, new CostLedger());

        Assert.Equal(["lt-long0"], report.LongTaskNames);
        Assert.Contains("makespan_ms", report.Metrics);
    }
}
