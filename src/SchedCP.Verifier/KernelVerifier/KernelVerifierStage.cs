using System.Globalization;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Trials;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.KernelVerifier;

/// <summary>
/// The <c>kernel-verifier</c> stage: loads the object without attaching it (<see cref="SchedulerTrial.LoadOnly"/>) in the
/// sched_ext sandbox, so the real 6.12 kernel verifier judges every program. The verdict carries the verifier log on
/// rejection and the processed-instruction count per program on success.
/// </summary>
/// <param name="trials">Runs the load in the sandbox guest.</param>
/// <param name="time">Stamps the verdict.</param>
public sealed class KernelVerifierStage(SchedulerTrialRunner trials, TimeProvider? time = null) : IVerificationStage
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "kernel-verifier";

    /// <inheritdoc />
    public async ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        if (context.ObjectPath is null)
        {
            return Verdict(false, "No compiled object to load.", [new VerificationFinding("input", FindingSeverity.Error, "No compiled object.", "Put the compile stage first or give an object.")], "", new Dictionary<string, double>(), start);
        }

        var scheduler = new BpfObjectScheduler(context.ObjectPath) { Rodata = context.Candidate.Parameters };
        var result = await trials.RunAsync(new SchedulerTrial(scheduler) { LoadOnly = true }, cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (result.Sandbox.Failure is { } sandboxFailure)
        {
            return Verdict(false, $"The sandbox failed: {sandboxFailure.Message}", [new VerificationFinding("sandbox", FindingSeverity.Error, sandboxFailure.Message, sandboxFailure.Remedy)], string.Join('\n', result.Sandbox.ConsoleTail), metrics, start);
        }

        if (result.LoadFailure is { } rejected)
        {
            var lastLine = rejected.VerifierLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => !l.StartsWith("processed", StringComparison.Ordinal) && !l.StartsWith("libbpf", StringComparison.Ordinal)) ?? rejected.Error;
            return Verdict(false, $"The kernel verifier rejected the object: {lastLine.Trim()}",
                [new VerificationFinding("kernel-verifier", FindingSeverity.Error, $"{rejected.Error} (errno {rejected.Errno}): {lastLine.Trim()}", "Read the verifier log above the last line: it names the instruction and register state the kernel could not prove safe.")],
                rejected.VerifierLog, metrics, start);
        }

        if (result.LoaderError is { } bad)
        {
            return Verdict(false, $"The loader refused the object ({bad.Stage}): {bad.Message}", [new VerificationFinding("loader", FindingSeverity.Error, bad.Message, "Fix the object or its parameters.")], result.SchedulerOutput, metrics, start);
        }

        if (result.Loaded is not { } loaded)
        {
            return Verdict(false, "The loader reported no outcome.", [new VerificationFinding("loader", FindingSeverity.Error, "No load event.", "Look at the sandbox log.")], result.SchedulerOutput + "\n" + string.Join('\n', result.Sandbox.ConsoleTail), metrics, start);
        }

        foreach (var p in loaded.Programs)
        {
            metrics[$"verified_insns.{p.Name}"] = p.VerifiedInstructions;
            metrics[$"xlated_insns.{p.Name}"] = p.Instructions;
        }

        var total = loaded.Programs.Sum(p => p.VerifiedInstructions);
        metrics["verified_insns"] = total;
        metrics["load_ms"] = loaded.LoadTime.TotalMilliseconds;
        return Verdict(true, string.Create(CultureInfo.InvariantCulture, $"The kernel verifier accepted {loaded.Programs.Count} programs ({total} instructions processed)."), [], result.SchedulerOutput, metrics, start);
    }

    private StageVerdict Verdict(bool passed, string reason, IReadOnlyList<VerificationFinding> findings, string log, IReadOnlyDictionary<string, double> metrics, long start) =>
        new(Name, passed, reason, findings, log, metrics, _time.GetElapsedTime(start), _time.GetUtcNow());
}
