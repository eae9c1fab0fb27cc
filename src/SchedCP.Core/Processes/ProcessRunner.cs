using System.ComponentModel;
using System.Diagnostics;

namespace SchedCP.Core.Processes;

/// <summary>
/// Runs a child process to its end: arguments passed as a list (never through a shell), standard input closed,
/// standard output and error drained concurrently and kept up to a cap, and on timeout or cancellation the whole
/// process tree killed. Expected failures (not found, not executable, timed out, cancelled) come back in the
/// <see cref="ProcessRunResult"/>; exceptions are for bugs. Thread-safe; one instance serves any number of runs.
/// </summary>
/// <param name="timeProvider">The clock for the timeout and the duration; <see cref="TimeProvider.System"/> by default.</param>
public sealed class ProcessRunner(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>A runner on the system clock.</summary>
    public static ProcessRunner Default { get; } = new();

    /// <summary>Runs <paramref name="request"/> and waits for the process and its output to end.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Kills the process tree when cancelled; the result then says <see cref="ProcessRunResult.Cancelled"/>.</param>
    /// <returns>How the run ended.</returns>
    public async Task<ProcessRunResult> RunAsync(ProcessRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxOutputBytes, 1, nameof(request.MaxOutputBytes));
        if (request.Timeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Timeout, TimeSpan.Zero, nameof(request.Timeout));
        }

        using var process = new Process { StartInfo = StartInfo(request) };
        var started = _time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return new ProcessRunResult { StartFailure = Describe(request.FileName, e), Duration = _time.GetElapsedTime(started) };
        }

        // The child's stdin is closed at once: a run never waits on input nobody will give it.
        process.StandardInput.Close();
        var stdout = new BoundedCapture(request.MaxOutputBytes, request.StandardOutputRetention, request.OnStandardOutputLine);
        var stderr = new BoundedCapture(request.MaxOutputBytes, request.StandardErrorRetention, request.OnStandardErrorLine);
        var draining = Task.WhenAll(
            stdout.DrainAsync(process.StandardOutput.BaseStream),
            stderr.DrainAsync(process.StandardError.BaseStream));
        request.OnStarted?.Invoke(process.Id);

        using var limit = new CancellationTokenSource(request.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        bool timedOut = false, cancelled = false;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            // A child that left a descendant holding its pipes open is bounded by the same limit.
            await draining.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancelled = cancellationToken.IsCancellationRequested;
            timedOut = !cancelled;
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            // With the tree gone the pipes close; anything that escaped the tree no longer holds the run.
            await Task.WhenAny(draining, Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None)).ConfigureAwait(false);
        }

        return new ProcessRunResult
        {
            ExitCode = timedOut || cancelled ? -1 : process.ExitCode,
            StandardOutput = stdout.Result(),
            StandardError = stderr.Result(),
            TimedOut = timedOut,
            Cancelled = cancelled,
            Duration = _time.GetElapsedTime(started),
            ProcessId = process.Id,
        };
    }

    private static ProcessStartInfo StartInfo(ProcessRunRequest request)
    {
        var info = new ProcessStartInfo(request.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (request.WorkingDirectory is not null)
        {
            info.WorkingDirectory = request.WorkingDirectory;
        }

        if (!request.InheritEnvironment)
        {
            info.Environment.Clear();
        }

        foreach (var (name, value) in request.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    private static ProcessStartFailure Describe(string fileName, Exception e)
    {
        var code = (e as Win32Exception)?.NativeErrorCode;
        var kind = code switch
        {
            2 => ProcessStartFailureKind.NotFound,
            13 => ProcessStartFailureKind.PermissionDenied,
            _ => ProcessStartFailureKind.Other,
        };
        var remedy = kind switch
        {
            ProcessStartFailureKind.NotFound => "Check the path, or install it and make sure it is on PATH.",
            ProcessStartFailureKind.PermissionDenied => "Make the file executable (chmod +x) and check the folders on its path can be entered.",
            _ => "Check the path and that it is executable.",
        };
        return new ProcessStartFailure(kind, fileName, e.Message, $"'{fileName}' could not start: {e.Message}. {remedy}");
    }
}
