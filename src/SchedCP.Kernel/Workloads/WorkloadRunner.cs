using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Core.Processes;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Runs the benchmark workloads on the host or inside the sandbox guest and parses their JSON. Expected failures
/// (binary missing, non-zero exit, timeout, unreadable output, sandbox or scheduler trouble) come back as values.
/// </summary>
public sealed class WorkloadRunner
{
    private readonly string? _binaryDirectory;
    private readonly ProcessRunner _runner;
    private readonly ILogger _logger;

    /// <summary>Creates a runner.</summary>
    /// <param name="binaryDirectory">The folder of the built workloads; null locates it (<see cref="WorkloadBinaries"/>).</param>
    /// <param name="timeProvider">Time source for timeouts.</param>
    /// <param name="logger">Logger.</param>
    public WorkloadRunner(string? binaryDirectory = null, TimeProvider? timeProvider = null, ILogger<WorkloadRunner>? logger = null)
    {
        _binaryDirectory = binaryDirectory;
        _runner = new ProcessRunner(timeProvider ?? TimeProvider.System);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The start information for <paramref name="workload"/> on the host, or null with a failure when not built.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="failure">Why it cannot start.</param>
    internal ProcessStartInfo? StartInfo(BenchmarkWorkload workload, out WorkloadFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (!WorkloadBinaries.TryLocate(out var dir, out failure, _binaryDirectory))
        {
            return null;
        }

        var info = new ProcessStartInfo(Path.Combine(dir, workload.Name))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in workload.Arguments)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>Runs <paramref name="workload"/> on the host and parses its output.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="timeout">Kill it after this long (default two minutes).</param>
    /// <param name="started">Called with the process id once it runs, e.g. to observe it.</param>
    /// <param name="cancellationToken">Cancels the run; the process tree is killed.</param>
    public async Task<WorkloadRun> RunOnHostAsync(BenchmarkWorkload workload, TimeSpan? timeout = null, Action<int>? started = null, CancellationToken cancellationToken = default)
    {
        var info = StartInfo(workload, out var failure);
        if (info is null)
        {
            return Fail(workload, 0, failure!, "");
        }

        WorkloadLog.Starting(_logger, workload);
        var run = await _runner.RunAsync(new ProcessRunRequest(info.FileName)
        {
            Arguments = [.. info.ArgumentList],
            Timeout = timeout ?? TimeSpan.FromMinutes(2),
            // Only the end of standard error is reported; standard output is the JSON result, read from its start.
            StandardErrorRetention = OutputRetention.Tail,
            OnStarted = started,
        }, cancellationToken).ConfigureAwait(false);
        if (!run.Started)
        {
            return Fail(workload, 0, new WorkloadFailure(WorkloadFailureKind.StartFailed, $"'{info.FileName}' did not start: {run.StartFailure.Detail}",
                "Check the binary is executable; rebuild with native/workloads/build.sh."), "");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (run.TimedOut)
        {
            return Fail(workload, 0, new WorkloadFailure(WorkloadFailureKind.TimedOut, $"{workload.Name} ran past its time limit and was killed.",
                "Give it a smaller size or a longer timeout."), Trim(run.StandardError.Text));
        }

        return Complete(workload, 0, run.ExitCode, run.StandardOutput.Text, Trim(run.StandardError.Text));
    }

    /// <summary>
    /// Boots one sandbox guest, attaches <paramref name="scheduler"/> (null: the kernel's EEVDF), and runs each workload
    /// <paramref name="repeats"/> times, repeats interleaved so drift spreads over all workloads.
    /// </summary>
    /// <param name="sandbox">The sandbox runner.</param>
    /// <param name="workloads">The workloads.</param>
    /// <param name="repeats">Runs of each workload.</param>
    /// <param name="scheduler">The scheduler to run them under, or null.</param>
    /// <param name="timeout">The guest's wall-clock limit (default ten minutes).</param>
    /// <param name="cancellationToken">Cancels the session.</param>
    public async Task<SandboxWorkloadSession> RunInSandboxAsync(
        ISandboxRunner sandbox,
        IReadOnlyList<BenchmarkWorkload> workloads,
        int repeats = 3,
        SchedulerUnderTest? scheduler = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var label = SchedulerLabel(scheduler);
        if (!WorkloadBinaries.TryLocate(out var binaries, out var missing, _binaryDirectory))
        {
            return new SandboxWorkloadSession(label, [], false, missing, null);
        }

        var job = BuildJob(workloads, repeats, scheduler, binaries, timeout ?? TimeSpan.FromMinutes(10), out var invalid);
        if (job is null)
        {
            return new SandboxWorkloadSession(label, [], false, invalid, null);
        }

        WorkloadLog.SandboxSession(_logger, workloads.Count * repeats, label);
        var result = await sandbox.RunAsync(job, cancellationToken).ConfigureAwait(false);
        if (result.Failure is { } f)
        {
            return new SandboxWorkloadSession(label, [], false,
                new WorkloadFailure(WorkloadFailureKind.SandboxFailed, $"The sandbox gave no result: {f.Message}", f.Remedy), result);
        }

        if (scheduler is not null && (result.ReadOutput("attach.txt") ?? "").Trim() != "enabled")
        {
            return new SandboxWorkloadSession(label, [], false,
                new WorkloadFailure(WorkloadFailureKind.SchedulerNotAttached, $"{label} did not attach: {Trim(result.ReadOutput("scheduler.stderr") ?? "")}",
                    "Run it in a scheduler trial to see the verifier's or the scheduler's message."), result);
        }

        var runs = new List<WorkloadRun>();
        var stayed = true;
        for (var r = 0; r < repeats; r++)
        {
            for (var i = 0; i < workloads.Count; i++)
            {
                var stem = $"runs/{i}-{r}";
                int.TryParse((result.ReadOutput(stem + ".rc") ?? "").Trim(), CultureInfo.InvariantCulture, out var rc);
                runs.Add(Complete(workloads[i], r, rc, result.ReadOutput(stem + ".json") ?? "", Trim(result.ReadOutput(stem + ".err") ?? "")));
                if (scheduler is not null && !(result.ReadOutput(stem + ".state") ?? "").StartsWith("enabled", StringComparison.Ordinal))
                {
                    stayed = false;
                }
            }
        }

        return new SandboxWorkloadSession(label, runs, stayed, null, result);
    }

    /// <summary>
    /// Boots one sandbox guest and runs each workload <paramref name="repeats"/> times under EEVDF and under each of
    /// <paramref name="schedulers"/>: each repeat attaches a scheduler, runs every workload, stops it and checks the
    /// kernel went back to EEVDF, then moves to the next arm; the arm order rotates each repeat so drift spreads evenly.
    /// </summary>
    /// <param name="sandbox">The sandbox runner.</param>
    /// <param name="workloads">The workloads.</param>
    /// <param name="repeats">Runs of each workload under each arm.</param>
    /// <param name="schedulers">The schedulers to compare with EEVDF (at least one).</param>
    /// <param name="timeout">The guest's wall-clock limit (default ten minutes).</param>
    /// <param name="cancellationToken">Cancels the session.</param>
    public async Task<SideBySideSession> RunSideBySideInSandboxAsync(
        ISandboxRunner sandbox,
        IReadOnlyList<BenchmarkWorkload> workloads,
        int repeats,
        IReadOnlyList<SchedulerUnderTest> schedulers,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfZero(schedulers.Count);
        ArgumentOutOfRangeException.ThrowIfZero(workloads.Count);
        if (!WorkloadBinaries.TryLocate(out var binaries, out var missing, _binaryDirectory))
        {
            return new SideBySideSession([], missing, null);
        }

        var arms = new List<SchedulerUnderTest?> { null };
        arms.AddRange(schedulers);
        var job = SideBySideScript.Build(workloads, repeats, arms, binaries, timeout ?? TimeSpan.FromMinutes(10), out var invalid);
        if (job is null)
        {
            return new SideBySideSession([], invalid, null);
        }

        WorkloadLog.SandboxSession(_logger, workloads.Count * repeats * arms.Count, string.Join(", ", arms.Select(SchedulerLabel)));
        var result = await sandbox.RunAsync(job, cancellationToken).ConfigureAwait(false);
        if (result.Failure is { } f)
        {
            return new SideBySideSession([],
                new WorkloadFailure(WorkloadFailureKind.SandboxFailed, $"The sandbox gave no result: {f.Message}", f.Remedy), result);
        }

        var outcome = new List<SchedulerArm>();
        for (var a = 0; a < arms.Count; a++)
        {
            var runs = new List<WorkloadRun>();
            bool attached = true, detached = true;
            string? problem = null;
            for (var r = 0; r < repeats; r++)
            {
                var stem = string.Create(CultureInfo.InvariantCulture, $"arms/{a}-{r}");
                if (a > 0)
                {
                    var attach = (result.ReadOutput(stem + ".attach") ?? "").Trim();
                    if (attach != "enabled")
                    {
                        attached = false;
                        problem ??= $"{SchedulerLabel(arms[a])} did not attach in repeat {r + 1} (sched_ext state '{attach}'): {Trim(result.ReadOutput(stem + ".stderr") ?? "")}";
                        continue;
                    }

                    // The loader's status 6 means the kernel ejected the scheduler at some point: its runs are suspect.
                    if (arms[a] is BpfObjectScheduler && (result.ReadOutput(stem + ".exit") ?? "").Trim() == "6")
                    {
                        attached = false;
                        problem ??= $"{SchedulerLabel(arms[a])} was ejected by the kernel in repeat {r + 1}: " +
                                    Trim(string.Join('\n', (result.ReadOutput(stem + ".stdout") ?? "").Split('\n').Where(l => l.Contains("\"exited\"", StringComparison.Ordinal))));
                    }

                    if ((result.ReadOutput(stem + ".detach") ?? "").Trim() != "disabled")
                    {
                        detached = false;
                        problem ??= $"{SchedulerLabel(arms[a])} left sched_ext '{(result.ReadOutput(stem + ".detach") ?? "").Trim()}' after it was stopped in repeat {r + 1}.";
                    }
                }

                for (var i = 0; i < workloads.Count; i++)
                {
                    var run = string.Create(CultureInfo.InvariantCulture, $"{stem}-{i}");
                    int.TryParse((result.ReadOutput(run + ".rc") ?? "").Trim(), CultureInfo.InvariantCulture, out var rc);
                    runs.Add(Complete(workloads[i], r, rc, result.ReadOutput(run + ".json") ?? "", Trim(result.ReadOutput(run + ".err") ?? "")));
                    var state = result.ReadOutput(run + ".state") ?? "";
                    if (a > 0 && !state.StartsWith("enabled", StringComparison.Ordinal))
                    {
                        attached = false;
                        problem ??= $"{SchedulerLabel(arms[a])} was no longer attached after {workloads[i].Name} in repeat {r + 1} (state '{state.Trim()}'): " +
                                    Trim(result.ReadOutput(stem + ".stderr") ?? "");
                    }
                }
            }

            outcome.Add(new SchedulerArm(SchedulerLabel(arms[a]), arms[a], runs, attached, detached, problem));
        }

        return new SideBySideSession(outcome, null, result);
    }

    /// <summary>The label of a scheduler in results: EEVDF for null, else its file name without extensions.</summary>
    /// <param name="scheduler">The scheduler.</param>
    public static string SchedulerLabel(SchedulerUnderTest? scheduler) => scheduler switch
    {
        null => "EEVDF",
        BpfObjectScheduler b => Path.GetFileName(b.ObjectPath).Replace(".bpf.o", "", StringComparison.Ordinal),
        ScxBinaryScheduler s => Path.GetFileName(s.BinaryPath),
        _ => scheduler.GetType().Name,
    };

    private static SandboxJob? BuildJob(IReadOnlyList<BenchmarkWorkload> workloads, int repeats, SchedulerUnderTest? scheduler, string binaries, TimeSpan timeout, out WorkloadFailure? invalid)
    {
        invalid = null;
        var script = new StringBuilder("""
            # Generated by WorkloadRunner: benchmark workloads in one guest, repeats interleaved.
            S=/sys/kernel/sched_ext
            rd() { cat "$1" 2>/dev/null | tr -d '\n'; }
            mkdir -p out/runs

            """);
        var inputs = new List<(string, string)>();
        if (scheduler is not null)
        {
            switch (scheduler)
            {
                case BpfObjectScheduler bpf:
                    if (!SandboxToolchain.TryLocate(null, out var toolchain, out var missing))
                    {
                        invalid = new WorkloadFailure(WorkloadFailureKind.SandboxFailed, missing!.Message, missing.Remedy);
                        return null;
                    }

                    var args = bpf.LoaderArguments("./scheduler.bpf.o");
                    script.Append(CultureInfo.InvariantCulture, $"./schedcp-loader {string.Join(' ', args.Select(ShellArgument.Quote))} > out/loader.jsonl 2> out/scheduler.stderr &\n");
                    inputs.Add(("scheduler.bpf.o", bpf.ObjectPath));
                    inputs.Add(("schedcp-loader", toolchain!.LoaderPath));
                    break;
                case ScxBinaryScheduler bin:
                    script.Append(CultureInfo.InvariantCulture, $"{(bin.PinnedCpu is { } cpu ? $"taskset -c {cpu} " : "")}./scheduler {string.Join(' ', bin.Arguments.Select(ShellArgument.Quote))} > out/scheduler.stdout 2> out/scheduler.stderr &\n");
                    inputs.Add(("scheduler", bin.BinaryPath));
                    break;
                default:
                    invalid = new WorkloadFailure(WorkloadFailureKind.SchedulerNotAttached, $"Unknown scheduler kind {scheduler.GetType().Name}.",
                        "Use BpfObjectScheduler or ScxBinaryScheduler.");
                    return null;
            }

            script.Append("""
                SCHED=$!
                n=0
                while [ $n -lt 300 ] && [ "$(rd $S/state)" != enabled ] && kill -0 $SCHED 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
                rd $S/state > out/attach.txt
                [ "$(rd $S/state)" = enabled ] || { kill -INT $SCHED 2>/dev/null; exit 0; }

                """);
        }

        for (var r = 0; r < repeats; r++)
        {
            for (var i = 0; i < workloads.Count; i++)
            {
                var w = workloads[i];
                var stem = string.Create(CultureInfo.InvariantCulture, $"out/runs/{i}-{r}");
                script.Append(CultureInfo.InvariantCulture,
                    $"./workloads/{w.Name} {string.Join(' ', w.Arguments.Select(ShellArgument.Quote))} > {stem}.json 2> {stem}.err; echo $? > {stem}.rc; echo \"$(rd $S/state) $(rd $S/root/ops)\" > {stem}.state\n");
            }
        }

        if (scheduler is not null)
        {
            script.Append("kill -INT $SCHED 2>/dev/null\nwait $SCHED\n");
        }

        script.Append("exit 0\n");
        var job = new SandboxJob("workloads", script.ToString()) { Timeout = timeout }.WithInputDirectory("workloads", binaries);
        foreach (var (name, path) in inputs)
        {
            job.WithInput(name, path);
        }

        return job;
    }

    private WorkloadRun Complete(BenchmarkWorkload workload, int repeat, int exitCode, string stdout, string stderr)
    {
        if (exitCode != 0)
        {
            return Fail(workload, repeat, new WorkloadFailure(WorkloadFailureKind.ExitedNonZero, $"{workload.Name} exited with status {exitCode}: {stderr}",
                "Check its arguments; run it by hand to see the message."), stderr);
        }

        var result = WorkloadResult.TryParse(stdout, out var failure);
        if (result is null)
        {
            return Fail(workload, repeat, failure!, stderr);
        }

        if (workload.Kpi is { } kpi)
        {
            // runcmd sends the command's own output to standard error, so the printed KPI is read from there.
            if (kpi.TryRead(stderr, out var missing) is not { } value)
            {
                return Fail(workload, repeat, missing!, stderr);
            }

            result = result with { Metrics = new Dictionary<string, double>(result.Metrics, StringComparer.Ordinal) { [kpi.Metric] = value } };
        }

        WorkloadLog.Finished(_logger, workload.Name, result);
        return new WorkloadRun(workload, repeat, result, null, stderr);
    }

    private WorkloadRun Fail(BenchmarkWorkload workload, int repeat, WorkloadFailure failure, string stderr)
    {
        WorkloadLog.Failed(_logger, workload.Name, failure);
        return new WorkloadRun(workload, repeat, null, failure, stderr);
    }


    private static string Trim(string text) => text.Length <= 4096 ? text.Trim() : text[^4096..].Trim();
}
