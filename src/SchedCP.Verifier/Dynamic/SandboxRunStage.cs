using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Trials;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Dynamic;

/// <summary>Options of the sandbox run.</summary>
public sealed class SandboxRunOptions
{
    /// <summary>CPU-bound threads of the workload. Default 4.</summary>
    public int WorkloadThreads { get; set; } = 4;

    /// <summary>How long the workload runs. Default 3 s.</summary>
    public TimeSpan WorkloadDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The longest a runnable worker may go without CPU time (from <c>/proc/&lt;pid&gt;/schedstat</c>, sampled every
    /// 0.5 s). Default 2 s: a fair scheduler gives each busy worker CPU many times a second; the emulated guest's
    /// sampling jitter stays well under this.
    /// </summary>
    public TimeSpan MaxTaskWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The largest idle share of the CPUs allowed in a sampling interval in which more tasks were runnable than CPUs.
    /// Default 0.25 (the sampler, kernel threads and emulation leave some idle time even when every CPU has work).
    /// </summary>
    public double MaxIdleWhileWaiting { get; set; } = 0.25;
}

/// <summary>
/// The <c>sandbox</c> stage: attaches the scheduler in the sched_ext sandbox under a CPU workload. It passes only if
/// every sample taken while the workload ran shows the scheduler enabled with its own ops, no worker went without CPU
/// longer than <see cref="SandboxRunOptions.MaxTaskWait"/> (per-task <c>/proc/&lt;pid&gt;/schedstat</c>), the CPUs did not
/// idle while work waited (<see cref="SandboxRunOptions.MaxIdleWhileWaiting"/>), and it detached cleanly (exit kind
/// <see cref="SchedExtExitKind.Unregistered"/>) when stopped. Performance against EEVDF is the performance gate's.
/// </summary>
/// <param name="trials">Runs the trial in the guest.</param>
/// <param name="options">Workload options.</param>
/// <param name="time">Stamps the verdict.</param>
public sealed class SandboxRunStage(SchedulerTrialRunner trials, SandboxRunOptions? options = null, TimeProvider? time = null) : IVerificationStage
{
    private readonly SandboxRunOptions _options = options ?? new SandboxRunOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "sandbox";

    /// <inheritdoc />
    public async ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (context.ObjectPath is null)
        {
            return Verdict(false, "No compiled object to run.", [new VerificationFinding("input", FindingSeverity.Error, "No compiled object.", "Put the compile stage first or give an object.")], "", metrics, start);
        }

        var scheduler = new BpfObjectScheduler(context.ObjectPath) { Rodata = context.Candidate.Parameters, ExpectedOpsName = context.Candidate.ExpectedOpsName };
        var trial = new SchedulerTrial(scheduler) { WorkloadThreads = _options.WorkloadThreads, WorkloadDuration = _options.WorkloadDuration };
        var result = await trials.RunAsync(trial, cancellationToken).ConfigureAwait(false);
        var log = result.SchedulerOutput + "\n" + string.Join('\n', result.Sandbox.ConsoleTail);
        if (result.Sandbox.Failure is { } sf)
        {
            return Verdict(false, $"The sandbox failed: {sf.Message}", [new VerificationFinding("sandbox", FindingSeverity.Error, sf.Message, sf.Remedy)], log, metrics, start);
        }

        var running = result.WhileRunning;
        metrics["samples"] = running.Count;
        var expectedOps = context.Candidate.ExpectedOpsName ?? result.Attached?.Ops;
        var bad = running.FirstOrDefault(s => s.State != "enabled" || (expectedOps is not null && s.Ops != expectedOps));
        var findings = new List<VerificationFinding>();
        if (result.Attached is null || result.Attached.State != "enabled")
        {
            findings.Add(new VerificationFinding("attach", FindingSeverity.Error, "The scheduler never reached the enabled state.", "Check the exit reason below."));
        }

        if (running.Count == 0)
        {
            findings.Add(new VerificationFinding("samples", FindingSeverity.Error, "No sample was taken while the workload ran.", "Look at the sandbox log."));
        }
        else if (bad is not null)
        {
            findings.Add(new VerificationFinding("stayed-attached", FindingSeverity.Error, $"At {bad.UptimeSeconds:F1} s the kernel reported state '{bad.State}' with ops '{bad.Ops}': the scheduler did not stay attached.", "Read the exit message: the kernel ejected it."));
        }

        var waits = TaskWaitAnalysis.Parse(result.Sandbox.ReadOutput("tasks.txt") ?? "");
        metrics["tasks"] = waits.Tasks;
        metrics["task_samples"] = waits.Samples;
        metrics["max_task_wait_ms"] = waits.LongestNoProgress.TotalMilliseconds;
        metrics["max_run_delay_ms"] = waits.MaxRunDelay.TotalMilliseconds;
        metrics["waiting_intervals"] = waits.WaitingIntervals;
        metrics["max_idle_while_waiting"] = waits.MaxIdleWhileWaiting;
        if (running.Count > 0 && waits.Tasks == 0)
        {
            findings.Add(new VerificationFinding("task-wait", FindingSeverity.Error, "No worker's schedstat was sampled, so starvation could not be ruled out.", "Look at the sandbox log; the guest kernel needs CONFIG_SCHED_INFO."));
        }
        else if (waits.LongestNoProgress > _options.MaxTaskWait)
        {
            findings.Add(new VerificationFinding("task-wait", FindingSeverity.Error,
                $"A runnable worker got no CPU for {waits.LongestNoProgress.TotalMilliseconds:F0} ms (bound {_options.MaxTaskWait.TotalMilliseconds:F0} ms); its run delay reached {waits.MaxRunDelay.TotalMilliseconds:F0} ms.",
                "Every task enqueued must reach a DSQ that some CPU consumes: check enqueue and dispatch for paths that keep a task without ever dispatching it."));
        }

        if (waits.MaxIdleWhileWaiting > _options.MaxIdleWhileWaiting)
        {
            findings.Add(new VerificationFinding("idle-while-waiting", FindingSeverity.Error,
                $"The CPUs idled {waits.MaxIdleWhileWaiting:P0} of an interval while more tasks were runnable than CPUs (bound {_options.MaxIdleWhileWaiting:P0}).",
                "Kick idle CPUs when work is queued (scx_bpf_kick_cpu) or dispatch from a DSQ every CPU consumes."));
        }

        if (result.Exit is not { Kind: SchedExtExitKind.Unregistered })
        {
            findings.Add(new VerificationFinding("clean-exit", FindingSeverity.Error, $"The scheduler ended with {result.Exit?.Kind.ToString() ?? "no exit report"}: {result.Exit?.Reason} {result.Exit?.Message}".Trim(), "Fix what the exit message names (a stall, a runtime error)."));
        }

        return findings.Count == 0
            ? Verdict(true, $"Stayed attached for {running.Count} samples under load, no worker waited longer than {waits.LongestNoProgress.TotalMilliseconds:F0} ms, CPUs idle at most {waits.MaxIdleWhileWaiting:P0} while work waited, and it detached cleanly.", findings, log, metrics, start)
            : Verdict(false, findings[0].Message, findings, log, metrics, start);
    }

    private StageVerdict Verdict(bool passed, string reason, IReadOnlyList<VerificationFinding> findings, string log, IReadOnlyDictionary<string, double> metrics, long start) =>
        new(Name, passed, reason, findings, log, metrics, _time.GetElapsedTime(start), _time.GetUtcNow());
}
