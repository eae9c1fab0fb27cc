using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Core.Results;
using SchedCP.Kernel.Loader;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Supervision;

/// <summary>
/// Supervises sched_ext schedulers on the machine it runs on, trusting only the kernel's sysfs state: a start is
/// confirmed when <c>state</c> is enabled, <c>root/ops</c> is the expected name and <c>enable_seq</c> advanced; every
/// way a scheduler can end is noticed and reported as a typed <see cref="SchedulerExitReport"/>. It signals only the
/// processes it started, by pid, never by name, and refuses to start over a scheduler it does not own.
/// </summary>
internal sealed partial class SchedulerSupervisor : ISchedulerSupervisor, IAsyncDisposable, IDisposable
{
    private const int SigInt = 2;

    private readonly SchedulerSupervisorOptions _options;
    private readonly SchedExtState _state;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<long> _recentStarts = new();
    private readonly Dictionary<string, string> _pinnedHashes = new(StringComparer.Ordinal);
    private Supervised? _current;
    private bool _disposed;

    /// <summary>Creates a supervisor.</summary>
    /// <param name="options">Options.</param>
    /// <param name="state">The sysfs reader; default reads <c>/sys/kernel/sched_ext</c>.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="timeProvider">Clock.</param>
    public SchedulerSupervisor(SchedulerSupervisorOptions? options = null, SchedExtState? state = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new SchedulerSupervisorOptions();
        _time = timeProvider ?? TimeProvider.System;
        _state = state ?? new SchedExtState(timeProvider: _time);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public RunningScheduler? Current => _current is { Running.Completion.IsCompleted: false } c ? c.Running : null;

    /// <inheritdoc />
    public async Task<Outcome<RunningScheduler, SupervisorFailure>> StartAsync(SchedulerUnderTest scheduler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current is { } running)
            {
                return Refuse(SupervisorFailureKind.InvalidLaunch, $"This supervisor already runs '{running.OpsName}'.",
                    "Use SwitchAsync to replace it, or StopAsync first.");
            }

            return await StartCoreAsync(scheduler, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<Outcome<SchedulerExitReport, SupervisorFailure>> StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StopCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<Outcome<RunningScheduler, SupervisorFailure>> SwitchAsync(SchedulerUnderTest scheduler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = Current?.Launch;
            if (previous is not null)
            {
                var stopped = await StopCoreAsync(cancellationToken).ConfigureAwait(false);
                if (!stopped.Succeeded)
                {
                    return stopped.Failure;
                }
            }

            var started = await StartCoreAsync(scheduler, cancellationToken).ConfigureAwait(false);
            if (started.Succeeded || previous is null)
            {
                return started;
            }

            var restored = await StartCoreAsync(previous, cancellationToken, countTowardsLimit: false).ConfigureAwait(false);
            return started.Failure with
            {
                Message = started.Failure.Message + (restored.Succeeded
                    ? $" The previous scheduler '{restored.Value.OpsName}' was started again."
                    : $" Restoring the previous scheduler also failed: {restored.Failure!.Describe()}"),
                PreviousRestored = restored.Succeeded,
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the owned scheduler, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Current is not null)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    /// <summary>Stops the owned scheduler, if any, blocking until it is gone (for containers disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<Outcome<RunningScheduler, SupervisorFailure>> StartCoreAsync(SchedulerUnderTest scheduler, CancellationToken cancellationToken, bool countTowardsLimit = true)
    {
        if (!_state.TryRead(out var before, out var unreadable))
        {
            return Refuse(SupervisorFailureKind.NotSupported, unreadable!.Message, unreadable.Remedy);
        }

        if (before!.State != SchedExtRunState.Disabled)
        {
            return Refuse(SupervisorFailureKind.ForeignSchedulerAttached,
                $"The sched_ext scheduler '{before.Ops ?? "(unknown)"}' is {before.State.ToString().ToLowerInvariant()} and this supervisor does not own it.",
                "Stop it with whatever started it (its service, scx_loader, or its process), then try again.");
        }

        if (countTowardsLimit && !AdmitStart())
        {
            return Refuse(SupervisorFailureKind.RateLimited,
                $"{_options.MaxStartsPerWindow} starts within {_options.RestartWindow.TotalSeconds:F0} s already.",
                "A scheduler that keeps failing will not be restarted in a loop; look at its last exit report.");
        }

        if (ResolveCommand(scheduler, out var failure) is not { } command)
        {
            return Refuse(failure!.Kind, failure.Message, failure.Remedy);
        }

        // Not ProcessRunner: a scheduler is a long-lived process that is signalled, watched and stopped, not run to its end.
        var psi = new ProcessStartInfo(command.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        SupervisorLog.Starting(_logger, command.Executable, string.Join(' ', command.Arguments));
        var output = new SchedulerOutputBuffer(_options.OutputLines, scheduler is BpfObjectScheduler);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            return Refuse(SupervisorFailureKind.LaunchFailed, $"'{command.Executable}' could not be started: {ex.Message}.",
                "Check that it exists, is executable, and that this process may run it.");
        }

        process.StandardInput.Close();
        var pumps = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        var started = _time.GetTimestamp();

        // Confirm against the kernel: enabled, the expected ops name, and a new enable_seq.
        SchedExtStatus? seen = null;
        var delay = TimeSpan.FromMilliseconds(2);
        while (_time.GetElapsedTime(started) < _options.AttachTimeout && !process.HasExited)
        {
            if (_state.TryRead(out var now, out _) && now!.State == SchedExtRunState.Enabled && now.EnableSeq > before.EnableSeq)
            {
                seen = now;
                break;
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(25, delay.TotalMilliseconds * 2));
        }

        var wrongName = seen is not null && scheduler.ExpectedOpsName is { } expected && seen.Ops != expected;
        if (seen is null || wrongName)
        {
            var exited = process.HasExited;
            await KillTreeAsync(process).ConfigureAwait(false);
            await pumps.ConfigureAwait(false);
            await _state.WaitForAsync(SchedExtRunState.Disabled, TimeSpan.FromSeconds(5), cancellationToken: CancellationToken.None).ConfigureAwait(false);
            var report = BuildReport(exited ? SchedulerEnding.ProcessExited : SchedulerEnding.Killed, output, exited ? process.ExitCode : null);
            process.Dispose();
            var why = wrongName
                ? $"The kernel attached '{seen!.Ops}', not the expected '{scheduler.ExpectedOpsName}'; it was stopped."
                : exited
                    ? $"The scheduler exited (status {report.ProcessExitCode}) before the kernel reported it enabled{Describe(report)}."
                    : $"The kernel did not report the scheduler enabled within {_options.AttachTimeout.TotalSeconds:F0} s; it was killed.";
            var notConfirmed = new SupervisorFailure(SupervisorFailureKind.AttachNotConfirmed, why,
                "Read the exit report and the scheduler's output (a verifier log, for a BPF object, says what the kernel refused).") { Exit = report };
            SupervisorLog.Refused(_logger, notConfirmed);
            return notConfirmed;
        }

        SupervisorLog.Attached(_logger, seen.Ops ?? "", process.Id, seen.EnableSeq, _time.GetElapsedTime(started).TotalMilliseconds);
        var completion = new TaskCompletionSource<SchedulerExitReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new RunningScheduler(scheduler, process.Id, seen.Ops ?? "", seen.EnableSeq, _time.GetUtcNow(), output, completion.Task);
        var supervised = new Supervised(process, running, output, completion, pumps);
        _current = supervised;
        _ = WatchAsync(supervised);
        return running;
    }

    private async Task<Outcome<SchedulerExitReport, SupervisorFailure>> StopCoreAsync(CancellationToken cancellationToken)
    {
        if (_current is not { } s || s.Running.Completion.IsCompleted)
        {
            var last = _current?.Running.Completion;
            _current = null;
            if (last is { IsCompleted: true })
            {
                // It already ended on its own; report how.
                return await last.ConfigureAwait(false);
            }

            return new SupervisorFailure(SupervisorFailureKind.NotRunning,
                "No scheduler started by this supervisor is running.", "Start one first.");
        }

        s.Stopping = true;
        _ = SendSignal(s.Process.Id, SigInt);
        var ending = SchedulerEnding.Stopped;
        if (!await WaitStoppedAsync(s.Process, _options.StopTimeout, cancellationToken).ConfigureAwait(false))
        {
            SupervisorLog.Escalating(_logger, s.Running.OpsName, _options.StopTimeout.TotalSeconds);
            await KillTreeAsync(s.Process).ConfigureAwait(false);
            ending = SchedulerEnding.Killed;
        }

        var (disabled, last2) = await _state.WaitForAsync(SchedExtRunState.Disabled, TimeSpan.FromSeconds(10), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await s.Pumps.ConfigureAwait(false);
        var report = BuildReport(ending, s.Output, s.Process.HasExited ? s.Process.ExitCode : null);
        s.Completion.TrySetResult(report);
        SupervisorLog.Ended(_logger, s.Running.OpsName, report.Ending, report.Kind, report.Reason, report.Message);
        _current = null;
        s.Process.Dispose();
        if (!disabled && last2?.Ops == s.Running.OpsName)
        {
            return new SupervisorFailure(SupervisorFailureKind.StopFailed,
                $"'{s.Running.OpsName}' is still attached after its process tree was killed.",
                "Something else holds its struct_ops link; find the holder with `bpftool link` and close it.") { Exit = report };
        }

        return report;
    }

    private (string Executable, IReadOnlyList<string> Arguments)? ResolveCommand(SchedulerUnderTest scheduler, out SupervisorFailure? failure)
    {
        failure = null;
        string executable;
        var args = new List<string>();
        switch (scheduler)
        {
            case BpfObjectScheduler bpf:
                executable = _options.LoaderPath ?? (SandboxToolchain.TryLocate(null, out var tc, out _) ? tc!.LoaderPath : "");
                if (!File.Exists(bpf.ObjectPath))
                {
                    failure = new SupervisorFailure(SupervisorFailureKind.InvalidLaunch, $"BPF object '{bpf.ObjectPath}' does not exist.", "Build it first.");
                    return null;
                }

                args.AddRange(bpf.LoaderArguments(Path.GetFullPath(bpf.ObjectPath)));
                break;
            case ScxBinaryScheduler bin:
                executable = bin.BinaryPath;
                args.AddRange(bin.Arguments);
                break;
            default:
                failure = new SupervisorFailure(SupervisorFailureKind.InvalidLaunch, $"Unknown scheduler kind {scheduler.GetType().Name}.", "Use BpfObjectScheduler or ScxBinaryScheduler.");
                return null;
        }

        if (string.IsNullOrEmpty(executable) || !File.Exists(executable))
        {
            failure = new SupervisorFailure(SupervisorFailureKind.InvalidLaunch, $"Executable '{executable}' does not exist.",
                scheduler is BpfObjectScheduler ? "Set SchedulerSupervisorOptions.LoaderPath or build the toolchain." : "Install the scheduler or fix its path.");
            return null;
        }

        // Resolve once and pin: a later start of the same path refuses a binary that changed underneath.
        var real = new FileInfo(executable).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(executable);
        string hash;
        using (var stream = File.OpenRead(real))
        {
            hash = Convert.ToHexString(SHA256.HashData(stream));
        }

        if (_pinnedHashes.TryGetValue(real, out var pinned) && pinned != hash)
        {
            failure = new SupervisorFailure(SupervisorFailureKind.InvalidLaunch, $"'{real}' changed since this supervisor first ran it.",
                "Create a new supervisor if the change is intended.");
            return null;
        }

        _pinnedHashes[real] = hash;
        if (scheduler is ScxBinaryScheduler { PinnedCpu: { } cpu })
        {
            // taskset execs the scheduler, so the pid the supervisor owns stays the scheduler's.
            return ("taskset", ["-c", cpu.ToString(CultureInfo.InvariantCulture), real, .. args]);
        }

        return (real, args);
    }

    private bool AdmitStart()
    {
        var now = _time.GetTimestamp();
        while (_recentStarts.Count > 0 && _time.GetElapsedTime(_recentStarts.Peek(), now) > _options.RestartWindow)
        {
            _recentStarts.Dequeue();
        }

        if (_recentStarts.Count >= _options.MaxStartsPerWindow)
        {
            return false;
        }

        _recentStarts.Enqueue(now);
        return true;
    }

    private Outcome<RunningScheduler, SupervisorFailure> Refuse(SupervisorFailureKind kind, string message, string remedy)
    {
        var failure = new SupervisorFailure(kind, message, remedy);
        SupervisorLog.Refused(_logger, failure);
        return failure;
    }
}
