using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents.Tests.Observation;

/// <summary>
/// Observes a real batch on the host through procfs polling, the fallback where no sandbox is built. A poller can
/// miss tasks shorter than its interval or that ran while it was starved, so what it finds is a lower bound and the
/// report must say so; the exact count is the guest probe's job (TaskRecordsInGuestTests, ObservationInGuestTests).
/// </summary>
[Collection(HostTimingGroup.Name)]
public sealed class ObservationOnHostTests
{
    [WorkloadsBuiltFact]
    public async Task A_polled_observation_on_the_host_says_it_is_a_lower_bound()
    {
        using var repo = Observations.Repository();
        var agent = new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository);

        var report = await agent.ObserveAsync(new OptimizationRequest(Observations.LongTail), null, new CostLedger());

        Assert.Contains("makespan_ms", report.Metrics);
        Assert.Equal(ObservationSource.ProcfsPolling, report.Profile.Source);
        Assert.False(report.Profile.Complete);
        Assert.Contains(report.Notes, n => n.Contains("lower bound", StringComparison.Ordinal));
        Assert.Contains(report.Profile.Reasons, r => r.StartsWith("observed: ", StringComparison.Ordinal));
    }
}
