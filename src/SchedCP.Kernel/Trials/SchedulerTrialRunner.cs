using SchedCP.Kernel.Schedulers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SchedCP.Kernel.Loader;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Trials;

/// <summary>
/// Runs <see cref="SchedulerTrial"/>s in the sandbox: builds the guest script, runs it, and turns what the guest
/// recorded (loader events, sysfs snapshots, the scheduler's output) into a <see cref="SchedulerTrialResult"/>.
/// </summary>
public sealed partial class SchedulerTrialRunner
{
    private readonly ISandboxRunner _sandbox;
    private readonly string? _toolchainDirectory;

    /// <summary>Creates a trial runner over a sandbox.</summary>
    /// <param name="sandbox">The sandbox that boots the guests.</param>
    /// <param name="toolchainDirectory">The toolchain holding <c>schedcp-loader</c>; null finds it as the sandbox does.</param>
    public SchedulerTrialRunner(ISandboxRunner sandbox, string? toolchainDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        _sandbox = sandbox;
        _toolchainDirectory = toolchainDirectory;
    }

    /// <summary>Runs one trial.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="cancellationToken">Cancels the trial; the guest is killed.</param>
    public async Task<SchedulerTrialResult> RunAsync(SchedulerTrial trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var job = BuildJob(trial, out var invalid);
        if (invalid is not null)
        {
            var empty = new SandboxResult("", null, "", [], new SandboxTimings(null, null, TimeSpan.Zero), invalid);
            return new SchedulerTrialResult(empty, [], [], null, null, "");
        }

        var sandbox = await _sandbox.RunAsync(job!, cancellationToken).ConfigureAwait(false);
        return Collect(sandbox, trial.LoadOnly);
    }

    private SandboxJob? BuildJob(SchedulerTrial trial, out SandboxFailure? invalid)
    {
        invalid = null;
        var script = new StringBuilder();
        script.Append(ScriptPrologue);
        string name;
        SandboxJob job;
        switch (trial.Scheduler)
        {
            case BpfObjectScheduler bpf:
                if (!SandboxToolchain.TryLocate(_toolchainDirectory, out var toolchain, out invalid))
                {
                    return null;
                }

                if (bpf.Rodata.Keys.Order(StringComparer.Ordinal).FirstOrDefault(k => !RodataName().IsMatch(k)) is { } badName)
                {
                    invalid = new SandboxFailure(SandboxFailureKind.InvalidJob, $"'{badName}' is not a valid .rodata variable name.",
                        "Use a C identifier declared `const volatile` in the scheduler.");
                    return null;
                }

                var args = bpf.LoaderArguments("./scheduler.bpf.o").ToList();
                if (trial.LoadOnly)
                {
                    args.Add("--load-only");
                }

                name = Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(bpf.ObjectPath));
                script.Append(CultureInfo.InvariantCulture,
                    $"./schedcp-loader {string.Join(' ', args.Select(ShellArgument.Quote))} > out/loader.jsonl 2> out/scheduler.stderr &\n");
                job = new SandboxJob($"trial-{name}", "")
                    .WithInput("scheduler.bpf.o", bpf.ObjectPath)
                    .WithInput("schedcp-loader", toolchain!.LoaderPath);
                break;
            case ScxBinaryScheduler bin:
                if (trial.LoadOnly)
                {
                    invalid = new SandboxFailure(SandboxFailureKind.InvalidJob, "A load-only trial needs a BPF object, not a binary.",
                        "Use BpfObjectScheduler for verifier-only runs.");
                    return null;
                }

                name = Path.GetFileName(bin.BinaryPath);
                script.Append(CultureInfo.InvariantCulture,
                    $"{(bin.PinnedCpu is { } cpu ? $"taskset -c {cpu} " : "")}./scheduler {string.Join(' ', bin.Arguments.Select(ShellArgument.Quote))} > out/scheduler.stdout 2> out/scheduler.stderr &\n");
                job = new SandboxJob($"trial-{name}", "").WithInput("scheduler", bin.BinaryPath);
                break;
            default:
                throw new ArgumentException($"Unknown scheduler kind {trial.Scheduler.GetType().Name}.", nameof(trial));
        }

        script.Append(CultureInfo.InvariantCulture, $"""
            SCHED=$!
            wait_state enabled {Tenths(trial.AttachTimeout)} $SCHED
            snap attached
            if [ "$(cat $S/state 2>/dev/null)" = enabled ]; then
                workers=""
                for i in $(seq 1 {trial.WorkloadThreads}); do
                    sh -c 'while :; do :; done' &
                    workers="$workers $!"
                done
                end=$(( $(now_cs) + {((long)Math.Ceiling(trial.WorkloadDuration.TotalMilliseconds / 10)).ToString(CultureInfo.InvariantCulture)} ))
                # Sample while the workers run: a scheduler the kernel ejects shows up here, and each worker's
                # schedstat (run time, run delay) and the CPUs' idle time show starvation and idle-while-waiting.
                # At least one round even when starting the workers took the whole duration (a loaded emulated guest).
                snap running
                tasks
                sleep 0.5
                while [ "$(now_cs)" -lt "$end" ]; do
                    snap running
                    tasks
                    sleep 0.5
                done
                kill -KILL $workers 2>/dev/null
                # A bare `wait` would also wait for the scheduler itself.
                [ -z "$workers" ] || wait $workers 2>/dev/null
                snap running
            fi
            kill -{(trial.KillInsteadOfStop ? "KILL" : "INT")} $SCHED 2>/dev/null
            wait $SCHED
            echo $? > out/scheduler.status
            wait_state disabled {Tenths(trial.DetachTimeout)} ""
            snap after
            dmesg > out/dmesg.txt 2>/dev/null || true
            exit 0

            """);

        // The files the guest starts from are copied by the runner; the script itself is the job body.
        var built = new SandboxJob(job.Name, script.ToString()) { Timeout = trial.Timeout };
        foreach (var (inJob, host) in job.Inputs)
        {
            built.WithInput(inJob, host);
        }

        return built;
    }

    private static SchedulerTrialResult Collect(SandboxResult sandbox, bool loadOnly)
    {
        if (sandbox.Failure is not null)
        {
            return new SchedulerTrialResult(sandbox, [], [], null, null, "") { LoadOnly = loadOnly };
        }

        var events = (sandbox.ReadOutput("loader.jsonl") ?? "")
            .Split('\n')
            .Select(LoaderEvent.Parse)
            .OfType<LoaderEvent>()
            .ToArray();
        var snapshots = (sandbox.ReadOutput("samples.txt") ?? "")
            .Split('\n')
            .Select(SchedExtSnapshot.ParseLine)
            .OfType<SchedExtSnapshot>()
            .ToArray();
        var stderr = sandbox.ReadOutput("scheduler.stderr") ?? "";
        int? status = int.TryParse((sandbox.ReadOutput("scheduler.status") ?? "").Trim(), CultureInfo.InvariantCulture, out var s) ? s : null;

        SchedulerExit? exit = events.OfType<SchedulerExited>().FirstOrDefault() is { } e
            ? new SchedulerExit(e.Kind, e.Reason, e.Message)
            : ParseExampleExit(stderr);
        return new SchedulerTrialResult(sandbox, events, snapshots, exit, status, stderr) { LoadOnly = loadOnly };
    }

    private static SchedulerExit? ParseExampleExit(string stderr) =>
        SchedulerExitText.Parse(stderr) is { } e ? new SchedulerExit(e.Kind, e.Reason, e.Message) : null;

    private static string Tenths(TimeSpan t) => ((long)Math.Ceiling(t.TotalSeconds * 10)).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex RodataName();

    private const string ScriptPrologue = """
        # Generated by SchedulerTrialRunner. Runs as root in the sandbox guest, in the job folder.
        S=/sys/kernel/sched_ext
        rd() { cat "$1" 2>/dev/null | tr -d '\n'; }
        snap() {
            printf '%s state=%s ops=%s enable_seq=%s nr_rejected=%s switch_all=%s hotplug_seq=%s t=%s\n' "$1" \
                "$(rd $S/state)" "$(rd $S/root/ops)" "$(rd $S/enable_seq)" "$(rd $S/nr_rejected)" \
                "$(rd $S/switch_all)" "$(rd $S/hotplug_seq)" "$(cut -d' ' -f1 /proc/uptime)" >> out/samples.txt
        }
        # wait_state STATE TENTHS PID: until sysfs shows STATE, the time runs out, or PID (if given) exits.
        wait_state() {
            n=0
            while [ $n -lt "$2" ]; do
                [ "$(rd $S/state)" = "$1" ] && return 0
                if [ -n "$3" ] && ! kill -0 "$3" 2>/dev/null; then return 1; fi
                sleep 0.1
                n=$((n + 1))
            done
            return 1
        }
        # now_cs: the uptime in hundredths of a second.
        now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }
        # tasks: one line per worker with /proc/<pid>/schedstat, then the CPU line of /proc/stat and procs_running.
        tasks() {
            t=$(cut -d' ' -f1 /proc/uptime)
            for w in $workers; do printf 'task t=%s pid=%s %s\n' "$t" "$w" "$(rd /proc/$w/schedstat)"; done >> out/tasks.txt
            printf 'cpu t=%s ncpu=%s %s %s\n' "$t" "$(grep -c '^cpu[0-9]' /proc/stat)" "$(grep '^cpu ' /proc/stat)" "$(grep '^procs_running' /proc/stat)" >> out/tasks.txt
        }
        [ -d $S ] || { echo "this kernel has no /sys/kernel/sched_ext" >&2; exit 90; }
        snap before

        """;
}
