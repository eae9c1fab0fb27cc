using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Core.Processes;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Runs <c>perf stat -x, -e ...</c> on a command or an attached process and parses its counters. When perf is missing,
/// refuses to count, or none of the events can be counted on this machine (a VM without a virtual PMU has no hardware
/// counters), the result is a typed <see cref="MetricsFailure"/> rather than an exception.
/// </summary>
public sealed class PerfStatRunner
{
    private static readonly SearchValues<char> EventNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:./=,");

    private const string InstallRemedy = "Install perf (Debian: the linux-perf package) matching the running kernel, or set the perf path.";
    private readonly string _perfPath;
    private readonly ILogger _logger;
    private readonly ProcessRunner _runner;

    /// <summary>Creates a runner.</summary>
    /// <param name="perfPath">The perf executable; found on PATH by default.</param>
    /// <param name="logger">Receives what is run and how it ended.</param>
    /// <param name="timeProvider">Clock for the elapsed time and the timeout.</param>
    public PerfStatRunner(string perfPath = "perf", ILogger<PerfStatRunner>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(perfPath);
        _perfPath = perfPath;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _runner = new ProcessRunner(timeProvider ?? TimeProvider.System);
    }

    /// <summary>Counts what <paramref name="request"/> describes.</summary>
    /// <param name="request">The command or process to count, and the events.</param>
    /// <param name="cancellationToken">Cancels the run; perf and its command are killed.</param>
    /// <returns>The counters; or why there are none.</returns>
    public async Task<Outcome<PerfStatReport, MetricsFailure>> RunAsync(PerfStatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var output = Path.Combine(Path.GetTempPath(), $"schedcp-perf-{Guid.NewGuid():N}.csv");
        var run = BuildRun(request, output);
        MetricsLog.PerfStarting(_logger, string.Join(' ', run.Arguments));
        try
        {
            var result = await _runner.RunAsync(run, cancellationToken).ConfigureAwait(false);
            if (!result.Started)
            {
                return Fail(new MetricsFailure(MetricsFailureKind.PerfNotInstalled, $"'{_perfPath}' could not be started: {result.StartFailure.Detail}", InstallRemedy));
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (result.TimedOut)
            {
                return Fail(new MetricsFailure(MetricsFailureKind.PerfFailed,
                    $"perf stat did not finish within {request.Timeout.TotalSeconds:F0} s and was killed.",
                    "Give the command a shorter run or the request a longer Timeout."));
            }

            var text = File.Exists(output) ? await File.ReadAllTextAsync(output, CancellationToken.None).ConfigureAwait(false) : "";
            return Interpret(text, result.StandardError.Text, result.ExitCode, result.Duration);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Turns perf's CSV output, its standard error and exit status into a result.</summary>
    internal Outcome<PerfStatReport, MetricsFailure> Interpret(string csv, string stderr, int exitCode, TimeSpan elapsed)
    {
        var parsed = PerfStatParser.Parse(csv);
        if (!parsed.Succeeded)
        {
            if (stderr.Contains("perf not found for kernel", StringComparison.Ordinal)
                || stderr.Contains("command not found", StringComparison.Ordinal))
            {
                return Fail(new MetricsFailure(MetricsFailureKind.PerfNotInstalled, $"perf is not installed for this kernel: {FirstLines(stderr)}", InstallRemedy));
            }

            if (stderr.Contains("perf_event_paranoid", StringComparison.Ordinal) || stderr.Contains("Permission denied", StringComparison.Ordinal)
                || stderr.Contains("Access to performance monitoring", StringComparison.Ordinal))
            {
                return Fail(new MetricsFailure(MetricsFailureKind.PerfFailed, $"perf may not count here: {FirstLines(stderr)}",
                    "Lower /proc/sys/kernel/perf_event_paranoid (e.g. to 1), or grant CAP_PERFMON."));
            }

            return Fail(new MetricsFailure(MetricsFailureKind.PerfFailed,
                $"perf stat exited with status {exitCode} without counters: {FirstLines(stderr)}",
                "Check the command or process id and the event names (perf list)."));
        }

        var report = parsed.Value with { Elapsed = elapsed };
        var counted = 0;
        foreach (var c in report.Counters)
        {
            if (c.Status == PerfCounterStatus.Counted)
            {
                counted++;
            }
        }

        if (counted == 0)
        {
            return Fail(new MetricsFailure(MetricsFailureKind.CountersNotSupported,
                $"None of the events ({string.Join(", ", report.Counters.Select(c => $"{c.Event}: {c.Status}"))}) can be counted on this machine.",
                "Use software events (task-clock, context-switches, cpu-migrations), or a host or VM that exposes a PMU for hardware counters."));
        }

        MetricsLog.PerfFinished(_logger, elapsed.TotalSeconds, counted, report.Counters.Count);
        return report;
    }

    private ProcessRunRequest BuildRun(PerfStatRequest request, string output)
    {
        if ((request.Command is null) == (request.ProcessId is null))
        {
            throw new ArgumentException("A perf request needs exactly one of Command and ProcessId.", nameof(request));
        }

        foreach (var e in request.Events)
        {
            if (string.IsNullOrEmpty(e) || e.AsSpan().ContainsAnyExcept(EventNameChars))
            {
                throw new ArgumentException($"'{e}' is not a perf event name.", nameof(request));
            }
        }

        List<string> arguments = ["stat", "-x,", "-o", output, "-e", string.Join(',', request.Events)];
        if (request.ProcessId is { } pid)
        {
            arguments.AddRange(["-p", pid.ToString(CultureInfo.InvariantCulture), "--", "sleep", request.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        }
        else
        {
            arguments.Add("--");
            arguments.AddRange(request.Command!);
        }

        return new ProcessRunRequest(_perfPath) { Arguments = arguments, Timeout = request.Timeout };
    }

    private Outcome<PerfStatReport, MetricsFailure> Fail(MetricsFailure failure)
    {
        MetricsLog.PerfFailed(_logger, failure);
        return failure;
    }

    private static string FirstLines(string text)
    {
        var trimmed = text.Trim();
        var lines = trimmed.Split('\n', 4);
        return lines.Length > 3 ? string.Join(" ", lines.Take(3)) + " ..." : string.Join(" ", lines);
    }
}
