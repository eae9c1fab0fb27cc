using SchedCP.Kernel.Loader;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Trials;

/// <summary>How a scheduler ended in a trial, from its exit info or, for binaries, its "EXIT:" line.</summary>
/// <param name="Kind">The exit kind; <see cref="SchedExtExitKind.None"/> when unknown.</param>
/// <param name="Reason">The kernel's reason text.</param>
/// <param name="Message">The scheduler's message (for example from <c>scx_bpf_error</c>).</param>
public sealed record SchedulerExit(SchedExtExitKind Kind, string Reason, string Message);

/// <summary>What a <see cref="SchedulerTrial"/> observed on a real sched_ext kernel.</summary>
public sealed class SchedulerTrialResult
{
    /// <summary>Creates a result.</summary>
    public SchedulerTrialResult(
        SandboxResult sandbox,
        IReadOnlyList<LoaderEvent> loaderEvents,
        IReadOnlyList<SchedExtSnapshot> snapshots,
        SchedulerExit? exit,
        int? schedulerExitCode,
        string schedulerOutput)
    {
        Sandbox = sandbox;
        LoaderEvents = loaderEvents;
        Snapshots = snapshots;
        Exit = exit;
        SchedulerExitCode = schedulerExitCode;
        SchedulerOutput = schedulerOutput;
    }

    /// <summary>The underlying sandbox run (timings, console, job folder).</summary>
    public SandboxResult Sandbox { get; }

    /// <summary>Events reported by <c>schedcp-loader</c> (empty for binaries).</summary>
    public IReadOnlyList<LoaderEvent> LoaderEvents { get; }

    /// <summary>sysfs snapshots: <c>before</c>, <c>attached</c>, one <c>running</c> per sample, <c>after</c>.</summary>
    public IReadOnlyList<SchedExtSnapshot> Snapshots { get; }

    /// <summary>How the scheduler ended, when it reported it.</summary>
    public SchedulerExit? Exit { get; }

    /// <summary>The exit status of the loader or binary process.</summary>
    public int? SchedulerExitCode { get; }

    /// <summary>The scheduler process's standard error (binaries) or the loader's (objects).</summary>
    public string SchedulerOutput { get; }

    /// <summary>The snapshot taken right after the wait for attach.</summary>
    public SchedExtSnapshot? Attached => Snapshots.FirstOrDefault(s => s.Label == "attached");

    /// <summary>Snapshots taken while the workload ran.</summary>
    public IReadOnlyList<SchedExtSnapshot> WhileRunning => Snapshots.Where(s => s.Label == "running").ToArray();

    /// <summary>The snapshot taken after the scheduler was stopped.</summary>
    public SchedExtSnapshot? After => Snapshots.LastOrDefault(s => s.Label == "after");

    /// <summary>The verifier statistics when the object loaded.</summary>
    public SchedulerLoaded? Loaded => LoaderEvents.OfType<SchedulerLoaded>().FirstOrDefault();

    /// <summary>The verifier's refusal, when the object did not load.</summary>
    public SchedulerLoadFailed? LoadFailure => LoaderEvents.OfType<SchedulerLoadFailed>().FirstOrDefault();

    /// <summary>Input the loader refused, when it did.</summary>
    public LoaderError? LoaderError => LoaderEvents.OfType<LoaderError>().FirstOrDefault();

    /// <summary>True when the trial only ran the kernel verifier.</summary>
    public bool LoadOnly { get; init; }

    /// <summary>
    /// What went wrong, or null when the scheduler attached, ran and detached cleanly (or, for a load-only trial,
    /// when the verifier accepted it).
    /// </summary>
    public TrialFailure? Failure
    {
        get
        {
            if (Sandbox.Failure is { } sandbox)
            {
                return new TrialFailure(TrialFailureKind.Sandbox, sandbox.ToString());
            }

            if (LoaderError is { } refused)
            {
                return new TrialFailure(TrialFailureKind.LoaderRefusedInput, $"{refused.Stage}: {refused.Message}");
            }

            if (LoadFailure is { } rejected)
            {
                var log = rejected.VerifierLog.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                return new TrialFailure(TrialFailureKind.VerifierRejected,
                    $"{rejected.Error}: {string.Join(" | ", log.Skip(Math.Max(0, log.Length - 6)))}");
            }

            if (LoaderEvents.OfType<SchedulerAttachFailed>().FirstOrDefault() is { } attach)
            {
                return new TrialFailure(TrialFailureKind.AttachFailed, attach.Error);
            }

            if (LoadOnly)
            {
                return null;
            }

            if (Exit is { Kind: >= SchedExtExitKind.Error } error)
            {
                return new TrialFailure(TrialFailureKind.SchedulerError, $"{error.Kind} ({error.Reason}): {error.Message}");
            }

            if (SchedulerExitCode > 128 && !LoaderEvents.OfType<SchedulerExited>().Any() && Exit is null)
            {
                return new TrialFailure(TrialFailureKind.ProcessKilled,
                    $"the scheduler's process was killed by signal {SchedulerExitCode - 128} without reporting an exit");
            }

            if (Attached?.IsEnabled != true)
            {
                var tail = SchedulerOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                return new TrialFailure(TrialFailureKind.NeverAttached,
                    $"the kernel never reported it enabled; its output ends: {string.Join(" | ", tail.Skip(Math.Max(0, tail.Length - 4)))}");
            }

            return null;
        }
    }
}
