using SchedCP.Kernel.Metrics;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 2's result for one command run under observation: the process tree, the system over the same interval,
/// <c>perf stat</c> counters where perf works, the benchmark result when the command was a benchmark workload, and
/// the profile the rules derive.
/// </summary>
/// <param name="Tree">Per-task CPU time, wait time and switches.</param>
/// <param name="System">The system over the run; null when <c>/proc/stat</c> was unreadable.</param>
/// <param name="Perf">Hardware and software counters; null when not asked for or perf failed (see <paramref name="PerfFailure"/>).</param>
/// <param name="PerfFailure">Why there are no counters, when they were asked for.</param>
/// <param name="Run">The workload run, for benchmark workloads.</param>
/// <param name="Profile">The derived profile.</param>
public sealed record WorkloadObservation(
    ProcessTreeObservation Tree,
    SystemSummary? System,
    PerfStatReport? Perf,
    MetricsFailure? PerfFailure,
    WorkloadRun? Run,
    WorkloadProfile Profile)
{
    /// <summary>
    /// Run-queue latency and task lifetime histograms from the BPF probe over the same workload, when it was measured
    /// (<see cref="RunQueueLatencyProbe"/>; it runs in the sandbox guest).
    /// </summary>
    public RunQueueLatencyReport? RunQueueLatency { get; init; }

    /// <summary>
    /// Every run's task tree when the workload was observed more than once (in the guest, by BPF); the profile and
    /// <see cref="Tree"/> are from the run of median length. Empty for a single run.
    /// </summary>
    public IReadOnlyList<ProcessTreeObservation> Repeats { get; init; } = [];
}
