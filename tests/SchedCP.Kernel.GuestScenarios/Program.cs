// Guest side of the host-layer integration tests. Usage (inside the sandbox guest):
//   SchedCP.Kernel.GuestScenarios <out-dir> <bpf-dir> <toolchain-dir> [scenario ...]
// Each scenario writes <out-dir>/<name>.json: {"name":..., "passed":..., "detail":...}. The host tests read them.
using System.Diagnostics;
using System.Text.Json;
using SchedCP.Core.Results;
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.Metrics;
using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Supervision;

var outDir = args[0];
var bpfDir = args[1];
var toolchain = args[2];
var only = args.Skip(3).ToHashSet(StringComparer.Ordinal);
Directory.CreateDirectory(outDir);
var loader = Path.Combine(toolchain, "bin", "schedcp-loader");
var options = new SchedulerSupervisorOptions { LoaderPath = loader, AttachTimeout = TimeSpan.FromSeconds(30), StopTimeout = TimeSpan.FromSeconds(8) };
var state = new SchedExtState();

BpfObjectScheduler Bpf(string name, string ops) => new(Path.Combine(bpfDir, $"{name}.bpf.o")) { ExpectedOpsName = ops };
ScxBinaryScheduler Example(string name, string ops) => new(Path.Combine(toolchain, "bin", name)) { ExpectedOpsName = ops };

var scenarios = new List<(string Name, Func<Task<string>> Run)>
{
    ("capabilities", async () =>
    {
        var report = new CapabilityProbe().Probe();
        await File.WriteAllTextAsync(Path.Combine(outDir, "capabilities.txt"), report.ToString());
        Check(report.CanRunSchedulers, "capability report says schedulers cannot run:\n" + report);
        Check(report["sched_ext_ops"]!.Finding.Contains("hotplug_seq", StringComparison.Ordinal), "sched_ext_ops generation markers missing");
        return report.ToString();
    }),
    ("start_stop_fifo", () => StartStop(Bpf("fifo", "schedcp_fifo"))),
    ("start_stop_vtime", () => StartStop(Bpf("vtime", "schedcp_vtime") with { Rodata = new Dictionary<string, string> { ["slice_ns"] = "2000000" } })),
    ("start_stop_scx_simple", () => StartStop(Example("scx_simple", "simple"))),
    ("start_stop_scx_qmap", () => StartStop(Example("scx_qmap", "qmap"))),
    ("start_stop_scx_central", async () =>
    {
        // scx_central pins itself to CPU 0, yet under emulation its init sometimes still runs elsewhere and the kernel
        // ejects it ("init from non-central CPU"). That is the example's own race; it must then be reported as such.
        try
        {
            return await StartStop(Example("scx_central", "central"));
        }
        catch (ScenarioFailed ex) when (ex.Message.Contains("init from non-central CPU", StringComparison.Ordinal))
        {
            Check(state.ReadState() == SchedExtRunState.Disabled, "still enabled after the init error");
            return "reported the example's own init race: " + ex.Message;
        }
    }),
    ("switch", async () =>
    {
        await using var sup = new SchedulerSupervisor(options);
        Expect(await sup.StartAsync(Bpf("fifo", "schedcp_fifo")), "start fifo");
        var toVtime = Expect(await sup.SwitchAsync(Bpf("vtime", "schedcp_vtime")), "switch to vtime");
        Check(state.TryRead(out var s, out _) && s!.Ops == "schedcp_vtime", $"after switch ops is {s?.Ops}");
        var bad = await sup.SwitchAsync(Bpf("reject", "schedcp_reject"));
        Check(!bad.Succeeded && bad.Failure!.Kind == SupervisorFailureKind.AttachNotConfirmed, $"switch to a rejected object: {bad}");
        Check(bad.Failure!.PreviousRestored, "previous scheduler not restored: " + bad.Failure);
        Check(sup.Current?.OpsName == "schedcp_vtime", $"current after failed switch is {sup.Current}");
        Check(bad.Failure.Exit!.Reason.Contains("verifier", StringComparison.Ordinal), "exit report lacks the verifier reason: " + bad.Failure.Exit);
        var stop = Expect(await sup.StopAsync(), "stop");
        return $"fifo -> vtime (enable_seq {toVtime.EnableSeq}); reject refused: {bad.Failure.Message}; restored; stop {stop.Ending} {stop.Kind}";
    }),
    ("stall_report", async () =>
    {
        await using var sup = new SchedulerSupervisor(options);
        // This scheduler drops every user task, the supervisor's own threads included: it may be ejected before the
        // supervisor gets to confirm the attach. Either way the report must carry the watchdog's verdict.
        var start = await sup.StartAsync(Bpf("stall", "schedcp_stall"));
        SchedulerExitReport report;
        if (start.Succeeded)
        {
            Burn(2, TimeSpan.FromSeconds(1));
            report = await start.Value.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        }
        else
        {
            Check(start.Failure.Kind == SupervisorFailureKind.AttachNotConfirmed, $"start: {start.Failure}");
            report = start.Failure.Exit!;
        }

        Check(report.Kind == SchedExtExitKind.ErrorStall, $"kind {report.Kind}");
        Check(report.Ending == SchedulerEnding.ProcessExited, $"ending {report.Ending}");
        Check(state.ReadState() == SchedExtRunState.Disabled, "still enabled");
        return $"{(start.Succeeded ? "attached, then " : "ejected before the attach was confirmed: ")}{report.Ending} {report.Kind}: {report.Reason} — {report.Message}";
    }),
    ("error_report", async () =>
    {
        await using var sup = new SchedulerSupervisor(options);
        var running = Expect(await sup.StartAsync(Bpf("error", "schedcp_error")), "start error");
        Burn(2, TimeSpan.FromSeconds(1));
        var report = await running.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Check(report.Kind == SchedExtExitKind.ErrorBpf, $"kind {report.Kind}");
        Check(report.Message.Contains("deliberate failure", StringComparison.Ordinal), $"message {report.Message}");
        return $"{report.Ending} {report.Kind}: {report.Reason} — {report.Message}";
    }),
    ("stop_escalation", async () =>
    {
        await using var sup = new SchedulerSupervisor(new SchedulerSupervisorOptions
        {
            LoaderPath = loader, AttachTimeout = options.AttachTimeout, StopTimeout = TimeSpan.FromSeconds(3),
        });
        // A wrapper that ignores SIGINT and keeps the loader as its child: only the process tree kill ends it.
        var wrapper = new ScxBinaryScheduler("/bin/sh")
        {
            ExpectedOpsName = "schedcp_fifo",
            Arguments = ["-c", $"trap '' INT; {loader} {Path.Combine(bpfDir, "fifo.bpf.o")}; echo loader-ended"],
        };
        Expect(await sup.StartAsync(wrapper), "start wrapper");
        var watch = Stopwatch.StartNew();
        var stop = Expect(await sup.StopAsync(), "stop");
        Check(stop.Ending == SchedulerEnding.Killed, $"ending {stop.Ending}");
        Check(state.ReadState() == SchedExtRunState.Disabled, "still enabled after kill");
        return $"ignored SIGINT, killed after {watch.Elapsed.TotalSeconds:F1} s; state disabled";
    }),
    ("loader_killed", async () =>
    {
        await using var sup = new SchedulerSupervisor(options);
        var running = Expect(await sup.StartAsync(Bpf("fifo", "schedcp_fifo")), "start fifo");
        Process.GetProcessById(running.ProcessId).Kill();
        var report = await running.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        var (disabled, _) = await state.WaitForAsync(SchedExtRunState.Disabled, TimeSpan.FromSeconds(10));
        Check(report.Ending == SchedulerEnding.ProcessExited, $"ending {report.Ending}");
        Check(report.KilledBySignal == 9, $"killed by {report.KilledBySignal} (exit {report.ProcessExitCode})");
        Check(disabled, "the kernel did not unregister the scheduler of a killed loader");
        return report.ToString();
    }),
    ("foreign_refused", async () =>
    {
        await using var owner = new SchedulerSupervisor(options);
        Expect(await owner.StartAsync(Bpf("fifo", "schedcp_fifo")), "start fifo");
        await using var other = new SchedulerSupervisor(options);
        var refused = await other.StartAsync(Bpf("vtime", "schedcp_vtime"));
        Check(!refused.Succeeded && refused.Failure!.Kind == SupervisorFailureKind.ForeignSchedulerAttached, $"second start: {refused}");
        Check(refused.Failure!.Message.Contains("schedcp_fifo", StringComparison.Ordinal), "message does not name the attached scheduler");
        Expect(await owner.StopAsync(), "stop");
        return refused.Failure.Message;
    }),
    ("metrics_under_load", async () =>
    {
        var stat = new ProcStatCollector();
        var sched = new SchedStatCollector();
        var tasks = new TaskSchedCollector();
        var s0 = stat.Capture().Value!;
        var q0 = sched.Capture().Value!;
        var burner = Process.Start("/bin/sh", ["-c", "timeout 6 sh -c 'while :; do :; done' & timeout 6 sh -c 'while :; do :; done' & wait"])!;
        // Find one of the busy loops (the shell that timeout started); under TCG they can take a while to appear.
        var child = 0;
        for (var i = 0; i < 50 && child == 0; i++)
        {
            await Task.Delay(100);
            child = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(n => int.Parse(n!))
                .FirstOrDefault(pid =>
                {
                    try
                    {
                        return File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sh\0-c\0while", StringComparison.Ordinal);
                    }
                    catch (IOException)
                    {
                        return false;
                    }
                });
        }

        var window = Stopwatch.StartNew();
        var c0 = tasks.Capture(child);
        await Task.Delay(1500);
        var c1 = tasks.Capture(child);
        var t0 = c0.Value;
        var t1 = c1.Value;
        var windowSeconds = window.Elapsed.TotalSeconds;
        await burner.WaitForExitAsync();
        var s1 = stat.Capture().Value!;
        var q1 = sched.Capture().Value!;
        var d = ProcStatCollector.Delta(s0, s1);
        var q = SchedStatCollector.Delta(q0, q1);
        Check(d.Total.Busy > 0.6, $"total busy {d.Total.Busy:P0} while two busy loops ran");
        Check(q.Total.RunTimeNs > 2_000_000_000UL, $"schedstat run time {q.Total.RunTimeNs} ns");
        Check(t0 is not null && t1 is not null, $"could not read the busy task (pid {child}): {c0.Failure} / {c1.Failure}");
        var ran = (t1!.RunNs - t0!.RunNs) / 1e9;
        // Two busy loops on two CPUs: each should run most of the window, and never more than all of it.
        Check(ran > 0.5 * windowSeconds && ran <= windowSeconds * 1.02 + 0.02, $"busy task ran {ran:F2} s of a {windowSeconds:F2} s window");
        return $"busy {d.Total.Busy:P0}, schedstat run {q.Total.RunTimeNs / 1e9:F2} s, delay {q.Total.RunDelayNs / 1e9:F2} s, timeslices {q.Total.Timeslices}; busy task ran {ran:F2} s in a {windowSeconds:F2} s window";
    }),
};

var failed = 0;
foreach (var (name, run) in scenarios.Where(s => only.Count == 0 || only.Contains(s.Name)))
{
    var watch = Stopwatch.StartNew();
    bool passed;
    string detail;
    try
    {
        detail = await run();
        passed = true;
    }
    catch (Exception ex)
    {
        detail = ex is ScenarioFailed ? ex.Message : ex.ToString();
        passed = false;
        failed++;
        // Leave the machine clean for the next scenario.
        await using var cleanup = new SchedulerSupervisor(options);
        for (var i = 0; i < 50 && state.ReadState() != SchedExtRunState.Disabled; i++)
        {
            await Task.Delay(100);
        }
    }

    Console.WriteLine($"{(passed ? "PASS" : "FAIL")} {name} ({watch.Elapsed.TotalSeconds:F1} s): {detail}");
    await File.WriteAllTextAsync(Path.Combine(outDir, $"{name}.json"),
        JsonSerializer.Serialize(new { name, passed, detail, seconds = watch.Elapsed.TotalSeconds }));
}

return failed == 0 ? 0 : 1;

async Task<string> StartStop(SchedulerUnderTest scheduler)
{
    await using var sup = new SchedulerSupervisor(options);
    var watch = Stopwatch.StartNew();
    var running = Expect(await sup.StartAsync(scheduler), "start");
    var attachMs = watch.Elapsed.TotalMilliseconds;
    Burn(2, TimeSpan.FromSeconds(1));
    Check(state.TryRead(out var s, out _) && s!.State == SchedExtRunState.Enabled && s.Ops == scheduler.ExpectedOpsName,
        $"while running: {s}");
    Check(!running.Completion.IsCompleted, "scheduler ended during the workload");
    var stop = Expect(await sup.StopAsync(), "stop");
    Check(stop.Ending == SchedulerEnding.Stopped, $"ending {stop.Ending}");
    Check(stop.Kind == SchedExtExitKind.Unregistered, $"kind {stop.Kind}");
    Check(state.ReadState() == SchedExtRunState.Disabled, "still enabled after stop");
    return $"{running.OpsName} attached in {attachMs:F0} ms (enable_seq {running.EnableSeq}), stopped: {stop.Kind} '{stop.Reason}'";
}

static void Burn(int workers, TimeSpan duration)
{
    var until = Stopwatch.StartNew();
    var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
    {
        var x = 0UL;
        while (until.Elapsed < duration)
        {
            x++;
        }

        GC.KeepAlive(x);
    })).ToArray();
    foreach (var t in threads)
    {
        t.Start();
    }

    foreach (var t in threads)
    {
        t.Join();
    }
}

static T Expect<T>(Outcome<T, SupervisorFailure> outcome, string what) =>
    outcome.Succeeded ? outcome.Value! : throw new ScenarioFailed($"{what}: {outcome.Failure}");

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new ScenarioFailed(message);
    }
}

internal sealed class ScenarioFailed(string message) : Exception(message);
