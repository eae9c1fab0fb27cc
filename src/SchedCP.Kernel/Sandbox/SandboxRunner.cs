using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SchedCP.Core.Processes;

namespace SchedCP.Kernel.Sandbox;

/// <summary>
/// Boots the project's sched_ext guest kernel under QEMU (TCG) with the host's root filesystem shared read-only
/// over 9p, runs a <see cref="SandboxJob"/> in it, streams the serial console to the logger, and always kills QEMU
/// at the wall-clock limit, on cancellation, and on any error.
/// </summary>
internal sealed class SandboxRunner : ISandboxRunner
{
    private readonly SandboxOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates a runner.</summary>
    /// <param name="options">Sandbox options.</param>
    /// <param name="logger">Receives the serial console and lifecycle messages.</param>
    /// <param name="timeProvider">Clock for timings and the wall-clock limit.</param>
    public SandboxRunner(IOptions<SandboxOptions> options, ILogger<SandboxRunner>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates a runner from options directly.</summary>
    /// <param name="options">Sandbox options.</param>
    /// <param name="logger">Receives the serial console and lifecycle messages.</param>
    public SandboxRunner(SandboxOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<SandboxResult> RunAsync(SandboxJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var jobDirectory = CreateJobDirectory(job);
        var started = _time.GetTimestamp();

        SandboxResult Fail(SandboxFailure failure, IReadOnlyList<string>? tail = null) => Failed(job, jobDirectory, started, failure, tail);

        if (!SandboxToolchain.TryLocate(_options.ToolchainDirectory, out var toolchain, out var missing))
        {
            return Fail(missing!);
        }

        if (PrepareJob(job, jobDirectory) is { } invalid)
        {
            return Fail(invalid);
        }

        var qemu = ResolveExecutable(_options.QemuPath);
        if (qemu is null)
        {
            return Fail(new SandboxFailure(
                SandboxFailureKind.QemuNotInstalled,
                $"QEMU ('{_options.QemuPath}') was not found.",
                "Install Debian's qemu-system-x86 package (native/install-deps.sh does), or set SandboxOptions.QemuPath."));
        }

        IDisposable slot;
        try
        {
            slot = await GuestSlots.AcquireAsync(_options.SlotDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-guest-slots"),
                GuestSlots.For(job.CpuCount ?? _options.CpuCount, _options.MaxConcurrentGuests, Environment.ProcessorCount), _logger, job.Name, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Fail(new SandboxFailure(SandboxFailureKind.Cancelled, "The sandbox job was cancelled while it waited for other guests to finish.", ""));
        }

        using var heldSlot = slot;
        started = _time.GetTimestamp();

        // QEMU 7.2 under TCG occasionally segfaults during early boot; the job has not started then, so boot again.
        for (var attempt = 1; ; attempt++)
        {
            var (result, crashedBeforeReady) = await BootAsync(job, jobDirectory, toolchain!, qemu, started, cancellationToken).ConfigureAwait(false);
            if (!crashedBeforeReady || attempt >= MaxBootAttempts)
            {
                return result;
            }

            SandboxLog.Retrying(_logger, job.Name, attempt, result.Failure!.Describe());
        }
    }

    private async Task<(SandboxResult Result, bool CrashedBeforeReady)> BootAsync(
        SandboxJob job, string jobDirectory, SandboxToolchain toolchain, string qemu, long started, CancellationToken cancellationToken)
    {
        SandboxResult Fail(SandboxFailure failure, IReadOnlyList<string>? tail = null) => Failed(job, jobDirectory, started, failure, tail);

        var cpus = job.CpuCount ?? _options.CpuCount;
        var timeout = job.Timeout ?? _options.Timeout;
        // coreutils' nice raises QEMU above ordinary work where allowed (it warns and runs it as is where not);
        // timeout is a second line of defence: QEMU dies even if this process is killed first.
        List<string> arguments = ["-n", _options.Niceness.ToString(CultureInfo.InvariantCulture), "timeout", "--signal=KILL",
            ((int)Math.Ceiling(timeout.TotalSeconds) + 15).ToString(CultureInfo.InvariantCulture), qemu];
        arguments.AddRange(QemuCommandLine.Build(toolchain, jobDirectory, cpus, _options.MemoryMiB));

        SandboxLog.Booting(_logger, job.Name, cpus, _options.MemoryMiB, timeout.TotalSeconds);
        var console = new GuestConsole(_options.ConsoleTailLines, _time, started);
        var run = await new ProcessRunner(_time).RunAsync(new ProcessRunRequest("nice")
        {
            Arguments = arguments,
            Timeout = timeout,
            // The console is kept as its last lines (below); QEMU's own errors as the tail of standard error.
            MaxOutputBytes = ConsoleBytesKept,
            StandardOutputRetention = OutputRetention.Tail,
            StandardErrorRetention = OutputRetention.Tail,
            OnStandardOutputLine = raw =>
            {
                var line = raw.TrimEnd('\r');
                SandboxLog.ConsoleLine(_logger, job.Name, line);
                if (console.Add(line) is { } ready)
                {
                    SandboxLog.Ready(_logger, job.Name, ready.TotalSeconds);
                }
            },
        }, cancellationToken).ConfigureAwait(false);
        var (readyAt, doneAt, guestFailure, tail) = console.Read();

        if (!run.Started)
        {
            return (Fail(new SandboxFailure(SandboxFailureKind.QemuNotInstalled, $"QEMU could not be started: {run.StartFailure!.Message}",
                "Check that qemu-system-x86_64 and coreutils' nice and timeout are installed.")), false);
        }

        if (run.TimedOut || run.Cancelled)
        {
            SandboxLog.Killing(_logger, job.Name, run.Cancelled ? "cancelled" : $"wall-clock limit of {timeout.TotalSeconds:F0} s");
            var kind = run.Cancelled ? SandboxFailureKind.Cancelled : SandboxFailureKind.TimedOut;
            var message = kind == SandboxFailureKind.Cancelled
                ? "The sandbox job was cancelled; QEMU was killed."
                : readyAt is null
                    ? $"The guest did not become ready within {timeout.TotalSeconds:F0} s; QEMU was killed."
                    : $"The job did not finish within {timeout.TotalSeconds:F0} s; QEMU was killed.";
            return (Fail(new SandboxFailure(kind, message, kind == SandboxFailureKind.Cancelled ? "" :
                "Raise the job's Timeout if the work is legitimately long (guest CPU work is many times slower than the host's), or look at the console tail for a hang."), tail), false);
        }

        var stderr = run.StandardError.Text;
        var total = _time.GetElapsedTime(started);
        var timings = new SandboxTimings(readyAt, readyAt is { } r && doneAt is { } d ? d - r : null, total);
        var statusFile = Path.Combine(jobDirectory, "exit-status");
        var jobLogFile = Path.Combine(jobDirectory, "job.log");
        var jobLog = File.Exists(jobLogFile) ? await File.ReadAllTextAsync(jobLogFile, CancellationToken.None).ConfigureAwait(false) : "";

        if (readyAt is null)
        {
            var why = guestFailure ?? (stderr.Length > 0 ? stderr.Trim() : $"QEMU exited with code {run.ExitCode} before the guest was ready");
            return (Fail(new SandboxFailure(SandboxFailureKind.BootFailed, $"The guest did not boot: {why}.",
                "Check the console tail; a kernel image that is not a bzImage, a broken initramfs or a QEMU option error shows there."), tail),
                guestFailure is null && run.ExitCode == 128 + 11);
        }

        if (!File.Exists(statusFile) || !int.TryParse(File.ReadAllText(statusFile).Trim(), CultureInfo.InvariantCulture, out var status))
        {
            return (Fail(new SandboxFailure(SandboxFailureKind.GuestCrashed,
                $"The guest stopped without recording the job's exit status (QEMU exit code {run.ExitCode}).",
                "Look at the console tail for a kernel panic or oops."), tail), false);
        }

        SandboxLog.Finished(_logger, job.Name, status, total.TotalSeconds);
        return (new SandboxResult(jobDirectory, status, jobLog, tail, timings, null), false);
    }

    private SandboxResult Failed(SandboxJob job, string jobDirectory, long started, SandboxFailure failure, IReadOnlyList<string>? tail)
    {
        SandboxLog.Failed(_logger, job.Name, failure);
        return new SandboxResult(jobDirectory, null, "", tail ?? [], new SandboxTimings(null, null, _time.GetElapsedTime(started)), failure);
    }

    /// <summary>Boots tried when QEMU itself crashes (SIGSEGV) before the guest is ready.</summary>
    private const int MaxBootAttempts = 3;

    private string CreateJobDirectory(SandboxJob job)
    {
        var root = _options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-sandbox");
        var stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var dir = Path.Combine(root, $"{stamp}-{Sanitize(job.Name)}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Path.Combine(dir, "out"));
        return dir;
    }

    private static SandboxFailure? PrepareJob(SandboxJob job, string jobDirectory)
    {
        foreach (var (name, hostPath) in job.Inputs)
        {
            var target = Path.GetFullPath(Path.Combine(jobDirectory, name));
            if (!target.StartsWith(jobDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return new SandboxFailure(SandboxFailureKind.InvalidJob, $"Input name '{name}' points outside the job folder.", "Use a relative name without '..'.");
            }

            if (!File.Exists(hostPath))
            {
                return new SandboxFailure(SandboxFailureKind.InvalidJob, $"Input file '{hostPath}' does not exist.", "Build it first or fix the path.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(hostPath, target, overwrite: true);
        }

        foreach (var (name, hostDir) in job.InputDirectories)
        {
            var target = Path.GetFullPath(Path.Combine(jobDirectory, name));
            if (!target.StartsWith(jobDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return new SandboxFailure(SandboxFailureKind.InvalidJob, $"Input folder name '{name}' points outside the job folder.", "Use a relative name without '..'.");
            }

            if (!Directory.Exists(hostDir))
            {
                return new SandboxFailure(SandboxFailureKind.InvalidJob, $"Input folder '{hostDir}' does not exist.", "Build it first or fix the path.");
            }

            foreach (var file in Directory.EnumerateFiles(hostDir, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(target, Path.GetRelativePath(hostDir, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to, overwrite: true);
            }
        }

        File.WriteAllText(Path.Combine(jobDirectory, "job.sh"), job.Script.ReplaceLineEndings("\n"));
        return null;
    }

    /// <summary>The executable a bare name resolves to on PATH (a name with a '/' is taken as a path), or null.</summary>
    internal static string? ResolveExecutable(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    /// <summary>Bytes of QEMU's standard output and standard error kept beside the console's last lines.</summary>
    private const int ConsoleBytesKept = 64 * 1024;

    // The serial console as it streams in (on the runner's reader): its last lines and the guest's markers.
    private sealed class GuestConsole(int capacity, TimeProvider time, long started)
    {
        private readonly Lock _gate = new();
        private readonly Queue<string> _lines = new();
        private TimeSpan? _readyAt;
        private TimeSpan? _doneAt;
        private string? _failure;

        /// <summary>Keeps the line; returns when the guest became ready if this line says so.</summary>
        public TimeSpan? Add(string line)
        {
            lock (_gate)
            {
                _lines.Enqueue(line);
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }

                if (_readyAt is null && line.Contains(QemuCommandLine.ReadyMarker, StringComparison.Ordinal))
                {
                    _readyAt = time.GetElapsedTime(started);
                    return _readyAt;
                }

                if (line.Contains(QemuCommandLine.DoneMarker, StringComparison.Ordinal))
                {
                    _doneAt = time.GetElapsedTime(started);
                }
                else if (line.Contains(QemuCommandLine.FailMarker, StringComparison.Ordinal))
                {
                    _failure = line[(line.IndexOf(QemuCommandLine.FailMarker, StringComparison.Ordinal) + QemuCommandLine.FailMarker.Length)..].Trim();
                }

                return null;
            }
        }

        public (TimeSpan? ReadyAt, TimeSpan? DoneAt, string? Failure, IReadOnlyList<string> Tail) Read()
        {
            lock (_gate)
            {
                return (_readyAt, _doneAt, _failure, _lines.ToArray());
            }
        }
    }
}
