using SchedCP.Kernel.Metrics;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 2 on the host: runs a benchmark workload under observation (process tree polled, system sampled before and
/// after, optionally a second run under <c>perf stat</c>) and profiles it. Inside the sandbox the same classes run in
/// the guest (see docs/workload-analysis.md).
/// </summary>
public sealed class WorkloadObserver
{
    private readonly WorkloadRunner _runner;
    private readonly SystemSampler _system;
    private readonly ProcessTreeObserver _tree;
    private readonly PerfStatRunner? _perf;

    /// <summary>Creates an observer.</summary>
    /// <param name="runner">Runs the workloads.</param>
    /// <param name="procRoot">Where procfs is (default <c>/</c>).</param>
    /// <param name="perf">Runs <c>perf stat</c>; null never counts.</param>
    /// <param name="timeProvider">Clock.</param>
    public WorkloadObserver(WorkloadRunner runner, string procRoot = "/", PerfStatRunner? perf = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _system = new SystemSampler(procRoot, timeProvider);
        _tree = new ProcessTreeObserver(procRoot, timeProvider);
        _perf = perf;
    }

    /// <summary>Runs <paramref name="workload"/> once under observation and profiles it.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="withPerfStat">Also run it once more under <c>perf stat</c> for counters (needs a perf runner).</param>
    /// <param name="pollInterval">Process tree poll interval (default 10 ms).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<WorkloadObservation> ObserveAsync(BenchmarkWorkload workload, bool withPerfStat = false, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var before = _system.Capture().Value;
        Task<ProcessTreeObservation>? observing = null;
        var run = await _runner.RunOnHostAsync(workload, started: pid => observing = _tree.ObserveAsync(pid, pollInterval, cancellationToken), cancellationToken: cancellationToken).ConfigureAwait(false);
        var tree = observing is null ? new ProcessTreeObservation(0, TimeSpan.Zero, 0, [], 0) : await observing.ConfigureAwait(false);
        var after = _system.Capture().Value;
        var summary = before is not null && after is not null ? SystemSummary.Between(before, after) : null;

        PerfStatReport? perf = null;
        MetricsFailure? perfFailure = null;
        if (withPerfStat && _perf is not null && _runner.StartInfo(workload, out _) is { } info)
        {
            var counted = await _perf.RunAsync(PerfStatRequest.ForCommand([info.FileName, .. info.ArgumentList]), cancellationToken).ConfigureAwait(false);
            counted.TryGetValue(out perf, out perfFailure);
        }

        return new WorkloadObservation(tree, summary, perf, perfFailure, run, WorkloadProfiler.Profile(workload.Name, tree, summary));
    }
}
