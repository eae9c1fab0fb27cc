using SchedCP.Core.Processes;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// The BPF task probe on this machine's own kernel: runs a command under <c>schedcp-probe --tasks</c> and returns the
/// kernel's record of every task it forked (<see cref="ObservationSource.HostBpf"/>). Needs root (or CAP_BPF with
/// CAP_PERFMON) and a kernel with BTF; the probe is CO-RE, so it loads on any such kernel, with or without sched_ext.
/// </summary>
public sealed class HostTaskRecorder
{
    /// <summary>Largest task file read (about 400,000 records).</summary>
    public const int MaxTaskFileBytes = 256 << 20;

    private readonly SandboxToolchain _toolchain;

    private HostTaskRecorder(SandboxToolchain toolchain) => _toolchain = toolchain;

    /// <summary>
    /// A recorder when this machine can run the probe: the toolchain (which builds the probe) is here, its probe is
    /// built, this process is root and the kernel exposes BTF; else null with why not.
    /// </summary>
    /// <param name="toolchainDirectory">The toolchain; null locates it.</param>
    /// <param name="whyNot">Why there is no recorder, when there is none.</param>
    public static HostTaskRecorder? TryCreate(string? toolchainDirectory, out string? whyNot)
    {
        if (!SandboxToolchain.TryLocate(toolchainDirectory, out var toolchain, out var missing))
        {
            whyNot = missing!.Message;
            return null;
        }

        whyNot = !File.Exists(toolchain!.ProbePath) || !File.Exists(toolchain.ProbeObjectPath) ? $"the toolchain at '{toolchain.Directory}' has no task probe"
            : geteuid() != 0 ? "loading BPF tracing programs needs root"
            : !File.Exists("/sys/kernel/btf/vmlinux") ? "this kernel exposes no BTF (/sys/kernel/btf/vmlinux)"
            : null;
        return whyNot is null ? new HostTaskRecorder(toolchain) : null;
    }

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> under the probe and returns what it recorded.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeout">Kill it after this long (default five minutes).</param>
    /// <param name="cancellationToken">Cancels the run; the process tree is killed.</param>
    public async Task<RunQueueLatencyRun> RecordAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var dir = Directory.CreateTempSubdirectory("schedcp-tasks-").FullName;
        try
        {
            var run = await ProcessRunner.Default.RunAsync(new ProcessRunRequest(_toolchain.ProbePath)
            {
                Arguments = ["--object", _toolchain.ProbeObjectPath, "--output", Path.Combine(dir, "probe.json"), "--tasks", Path.Combine(dir, "tasks.jsonl"), "--", fileName, .. arguments],
                Timeout = timeout ?? TimeSpan.FromMinutes(5),
                // Only the last 4 KiB of standard error are reported.
                StandardErrorRetention = OutputRetention.Tail,
            }, cancellationToken).ConfigureAwait(false);
            if (!run.Started)
            {
                return new RunQueueLatencyRun(fileName, null, new ProbeFailure(ProbeFailureKind.ProbeRefused, run.StartFailure.Message,
                    "Rebuild the sandbox toolchain (native/build-toolchain.sh) so it holds an executable task probe."), "", "", null);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (run.TimedOut)
            {
                return new RunQueueLatencyRun(fileName, null, new ProbeFailure(ProbeFailureKind.MalformedOutput,
                    $"'{fileName}' ran past its time limit under the task probe and was killed.", "Give it a smaller size or a longer timeout."), "", "", null);
            }

            var output = run.StandardOutput.Text;
            var errors = run.StandardError.Text;
            var probeJson = Path.Combine(dir, "probe.json");
            var text = Bpf.RegularFile.TryReadAll(probeJson, RunQueueLatencyReport.MaxOutputLength, out var probeBytes) is null && probeBytes.Length > 0
                ? System.Text.Encoding.UTF8.GetString(probeBytes)
                : output;
            _ = RunQueueLatencyReport.TryParse(text, out var report, out var failure);
            // Bounded like every file a probe writes: past the cap the observation is reported incomplete, not read.
            var tasksPath = Path.Combine(dir, "tasks.jsonl");
            var readable = Bpf.RegularFile.TryReadAll(tasksPath, MaxTaskFileBytes, out var taskBytes) is null;
            var malformed = readable ? 0 : 1;
            var tasks = readable ? TaskRecord.ParseLines(System.Text.Encoding.UTF8.GetString(taskBytes), out malformed) : [];
            return new RunQueueLatencyRun(fileName, report, failure, output, errors.Length <= 4096 ? errors : errors[^4096..], null)
            {
                Tasks = tasks,
                TaskLinesMalformed = malformed,
            };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
