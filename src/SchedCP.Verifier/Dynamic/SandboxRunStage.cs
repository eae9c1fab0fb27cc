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
}

/// <summary>
/// The <c>sandbox</c> stage: attaches the scheduler in the sched_ext sandbox under a CPU workload. It passes only if
/// every sample taken while the workload ran shows the scheduler enabled with its own ops, and it detached cleanly
/// (exit kind <see cref="SchedExtExitKind.Unregistered"/>) when stopped. Performance against EEVDF is not judged here.
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

        if (result.Exit is not { Kind: SchedExtExitKind.Unregistered })
        {
            findings.Add(new VerificationFinding("clean-exit", FindingSeverity.Error, $"The scheduler ended with {result.Exit?.Kind.ToString() ?? "no exit report"}: {result.Exit?.Reason} {result.Exit?.Message}".Trim(), "Fix what the exit message names (a stall, a runtime error)."));
        }

        return findings.Count == 0
            ? Verdict(true, $"Stayed attached for {running.Count} samples under load and detached cleanly.", findings, log, metrics, start)
            : Verdict(false, findings[0].Message, findings, log, metrics, start);
    }

    private StageVerdict Verdict(bool passed, string reason, IReadOnlyList<VerificationFinding> findings, string log, IReadOnlyDictionary<string, double> metrics, long start) =>
        new(Name, passed, reason, findings, log, metrics, _time.GetElapsedTime(start), _time.GetUtcNow());
}
