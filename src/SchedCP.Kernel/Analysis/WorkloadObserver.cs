using SchedCP.Kernel.Metrics;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 2: runs a workload once under observation and profiles it. With a <see cref="RunQueueLatencyProbe"/> (the
/// default in the agents' registration), the workload runs in the sched_ext sandbox guest, the same kernel its
/// candidates are judged on, and the kernel itself records every task it forks, by BPF, with exact CPU time, run delay,
/// switches, wakeups, fork order and program: nothing is missed however busy the host is. Without one it runs on the
/// host with <c>/proc</c> polled (a lower bound: tasks shorter than the poll interval can be missed), the system sampled
/// before and after, and optionally a second run under <c>perf stat</c>. The profile says which it was.
/// </summary>
public sealed class WorkloadObserver
{
    private readonly WorkloadRunner _runner;
    private readonly SystemSampler _system;
    private readonly ProcessTreeObserver _tree;
    private readonly PerfStatRunner? _perf;
    private readonly RunQueueLatencyProbe? _probe;
    private readonly HostTaskRecorder? _hostRecorder;

    /// <summary>Creates an observer.</summary>
    /// <param name="runner">Runs the workloads.</param>
    /// <param name="procRoot">Where procfs is (default <c>/</c>).</param>
    /// <param name="perf">Runs <c>perf stat</c>; null never counts.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="probe">Records every task in the sandbox guest by BPF; null observes on the host.</param>
    /// <param name="hostRecorder">Records every task on the host by BPF when there is no guest probe; null polls <c>/proc</c>.</param>
    public WorkloadObserver(WorkloadRunner runner, string procRoot = "/", PerfStatRunner? perf = null, TimeProvider? timeProvider = null, RunQueueLatencyProbe? probe = null, HostTaskRecorder? hostRecorder = null)
    {
        _hostRecorder = hostRecorder;
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _system = new SystemSampler(procRoot, timeProvider);
        _tree = new ProcessTreeObserver(procRoot, timeProvider);
        _perf = perf;
        _probe = probe;
    }

    /// <summary>True when observations run in the sandbox guest under the BPF task probe.</summary>
    public bool ObservesInGuest => _probe is not null;

    /// <summary>
    /// Runs <paramref name="workload"/> once under observation and profiles it: in the sandbox guest by BPF when this
    /// observer has a probe, else on the host by polling.
    /// </summary>
    /// <param name="workload">The workload.</param>
    /// <param name="withPerfStat">Also run it once more under <c>perf stat</c> for counters (needs a perf runner).</param>
    /// <param name="pollInterval">Process tree poll interval (default 10 ms).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<WorkloadObservation> ObserveAsync(BenchmarkWorkload workload, bool withPerfStat = false, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (_probe is not null)
        {
            return await ObserveInGuestAsync(workload, cancellationToken).ConfigureAwait(false);
        }

        var before = _system.Capture().Value;
        if (_hostRecorder is not null && _runner.StartInfo(workload, out _) is { } start)
        {
            var recorded = await _hostRecorder.RecordAsync(start.FileName, [.. start.ArgumentList], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (recorded.Succeeded)
            {
                var summaryAround = before is not null && _system.Capture().Value is { } end ? SystemSummary.Between(before, end) : null;
                var hostTree = recorded.TaskTree(ObservationSource.HostBpf);
                var hostRun = RunOf(workload, recorded, "");
                return new WorkloadObservation(hostTree, summaryAround, null, null, hostRun, WorkloadProfiler.Profile(workload.Name, hostTree, summaryAround, recorded.Report))
                {
                    RunQueueLatency = recorded.Report,
                };
            }
        }

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

    /// <summary>
    /// Runs <paramref name="workload"/> once in the sandbox guest under the BPF task probe and profiles it from the
    /// kernel's records of every task. A failed run (sandbox, probe or workload) is returned as a failed
    /// <see cref="WorkloadObservation.Run"/> with an empty tree, never thrown.
    /// </summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<WorkloadObservation> ObserveInGuestAsync(BenchmarkWorkload workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (_probe is null)
        {
            throw new InvalidOperationException("This observer has no BPF probe; create it with one to observe in the sandbox guest.");
        }

        if (_runner.StartInfo(workload, out var missing) is not { } info)
        {
            return Failed(workload, missing!);
        }

        var binaries = Path.GetDirectoryName(Path.GetFullPath(info.FileName))!;
        var command = string.Join(' ', new[] { "./workloads/" + workload.Name }.Concat(workload.Arguments).Select(ShellArgument.Quote));
        var runs = await _probe.RecordTasksInSandboxAsync(Enumerable.Repeat(command, GuestRepeats).ToArray(), ("workloads", binaries),
            timeout: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (runs.FirstOrDefault(r => r.Failure is not null) is { Failure: { } failure })
        {
            return Failed(workload, new WorkloadFailure(WorkloadFailureKind.SandboxFailed, $"The workload could not be observed in the sandbox guest: {failure.Message}", failure.Remedy));
        }

        var trees = runs.Select(r => r.TaskTree(ObservationSource.GuestBpf)).ToArray();
        // The profile comes from the run of median length; every run's tree is kept for identities that must recur.
        var median = Enumerable.Range(0, runs.Count).OrderBy(i => trees[i].Wall).ElementAt(runs.Count / 2);
        var probed = runs[median];
        var tree = trees[median];
        var run = RunOf(workload, probed, " in the guest");
        return new WorkloadObservation(tree, null, null, null, run, WorkloadProfiler.Profile(workload.Name, tree, null, probed.Report))
        {
            RunQueueLatency = probed.Report,
            Repeats = trees,
        };
    }

    /// <summary>
    /// Runs of the workload observed in the guest, in one boot (default 3): a task's CPU time in an emulated guest also
    /// holds the time the host took its vCPU away, so a fact is trusted only when it recurs.
    /// </summary>
    public int GuestRepeats { get; init; } = 3;

    // The workload's own result from what it printed under the probe, or why there is none.
    private static WorkloadRun RunOf(BenchmarkWorkload workload, RunQueueLatencyRun probed, string where)
    {
        var errors = Tail(probed.CommandErrors);
        if (probed.Report?.CommandExitCode is not (null or 0) and var rc)
        {
            return new WorkloadRun(workload, 0, null, new WorkloadFailure(WorkloadFailureKind.ExitedNonZero,
                $"{workload.Name} exited with status {rc}{where}: {errors}", "Check its arguments; run it by hand to see the message."), errors);
        }

        var result = WorkloadResult.TryParse(probed.CommandOutput, out var unreadable);
        return new WorkloadRun(workload, 0, result, unreadable, errors);
    }

    private static WorkloadObservation Failed(BenchmarkWorkload workload, WorkloadFailure failure)
    {
        var tree = new ProcessTreeObservation(0, TimeSpan.Zero, 0, [], 0) { Source = ObservationSource.GuestBpf, TasksLost = 0 };
        return new WorkloadObservation(tree, null, null, null, new WorkloadRun(workload, 0, null, failure, ""), WorkloadProfiler.Profile(workload.Name, tree));
    }

    private static string Tail(string text) => text.Length <= 4096 ? text.Trim() : text[^4096..].Trim();
}
