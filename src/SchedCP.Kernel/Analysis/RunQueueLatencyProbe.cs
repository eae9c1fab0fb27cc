using System.Globalization;
using System.Text;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 2's BPF probe: runs shell commands in the sandbox guest, each under <c>schedcp-probe</c> (the project's
/// <c>bpf/probes/runqlat.bpf.c</c>, built into the toolchain), and returns the run-queue latency and task lifetime
/// histograms measured system-wide while each command ran. All commands share one guest boot, one after another.
/// </summary>
public sealed class RunQueueLatencyProbe
{
    private readonly ISandboxRunner _sandbox;
    private readonly string? _toolchainDirectory;

    /// <summary>Creates a probe.</summary>
    /// <param name="sandbox">Runs the guest.</param>
    /// <param name="toolchainDirectory">The toolchain whose <c>schedcp-probe</c> to use; null locates it like the sandbox does.</param>
    public RunQueueLatencyProbe(ISandboxRunner sandbox, string? toolchainDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        _sandbox = sandbox;
        _toolchainDirectory = toolchainDirectory;
    }

    /// <summary>Measures one command in a fresh guest.</summary>
    /// <param name="command">A POSIX shell command, run by <c>/bin/sh -c</c> in the job folder.</param>
    /// <param name="timeout">The guest's wall-clock limit (default three minutes).</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    public async Task<RunQueueLatencyRun> RunInSandboxAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await RunInSandboxAsync([command], timeout, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Measures one command in a fresh guest and records every task it forks (see <see cref="RunQueueLatencyRun.Tasks"/>
    /// and <see cref="RunQueueLatencyRun.TaskTree"/>).
    /// </summary>
    /// <param name="command">A POSIX shell command, run by <c>/bin/sh -c</c> in the job folder.</param>
    /// <param name="inputDirectory">A host folder copied into the job folder under this name (e.g. the built workloads), or null.</param>
    /// <param name="cpus">The guest's vCPUs; null for the sandbox's default.</param>
    /// <param name="timeout">The guest's wall-clock limit (default three minutes).</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    public async Task<RunQueueLatencyRun> RecordTasksInSandboxAsync(string command, (string Name, string Path)? inputDirectory = null, int? cpus = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await RunAsync([command], recordTasks: true, inputDirectory, cpus, timeout, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Measures each command in turn in one guest boot and records every task each forks.</summary>
    /// <param name="commands">POSIX shell commands, each run by <c>/bin/sh -c</c> in the job folder.</param>
    /// <param name="inputDirectory">A host folder copied into the job folder under this name, or null.</param>
    /// <param name="cpus">The guest's vCPUs; null for the sandbox's default.</param>
    /// <param name="timeout">The guest's wall-clock limit for all of them (default three minutes).</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    public Task<IReadOnlyList<RunQueueLatencyRun>> RecordTasksInSandboxAsync(IReadOnlyList<string> commands, (string Name, string Path)? inputDirectory = null, int? cpus = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunAsync(commands, recordTasks: true, inputDirectory, cpus, timeout, cancellationToken);

    /// <summary>Measures each command in turn, in one guest boot; each gets its own histograms.</summary>
    /// <param name="commands">POSIX shell commands, each run by <c>/bin/sh -c</c> in the job folder.</param>
    /// <param name="timeout">The guest's wall-clock limit for all of them (default three minutes).</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    /// <returns>One run per command, in order.</returns>
    public Task<IReadOnlyList<RunQueueLatencyRun>> RunInSandboxAsync(IReadOnlyList<string> commands, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunAsync(commands, recordTasks: false, inputDirectory: null, cpus: null, timeout, cancellationToken);

    private async Task<IReadOnlyList<RunQueueLatencyRun>> RunAsync(
        IReadOnlyList<string> commands, bool recordTasks, (string Name, string Path)? inputDirectory, int? cpus, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0 || commands.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one command, none of them blank.", nameof(commands));
        }

        IReadOnlyList<RunQueueLatencyRun> AllFail(ProbeFailure failure, SandboxResult? sandbox) =>
            commands.Select(c => new RunQueueLatencyRun(c, null, failure, "", "", sandbox)).ToArray();

        if (!SandboxToolchain.TryLocate(_toolchainDirectory, out var toolchain, out var missing))
        {
            return AllFail(new ProbeFailure(ProbeFailureKind.SandboxFailed, missing!.Message, missing.Remedy), null);
        }

        if (!File.Exists(toolchain!.ProbePath) || !File.Exists(toolchain.ProbeObjectPath))
        {
            return AllFail(new ProbeFailure(ProbeFailureKind.ToolchainWithoutProbe,
                $"The toolchain at '{toolchain.Directory}' has no run-queue latency probe ('{toolchain.ProbePath}' or '{toolchain.ProbeObjectPath}' is missing).",
                "Rebuild it with native/build-toolchain.sh (./build.sh toolchain); only the userspace part is rebuilt."), null);
        }

        var script = new StringBuilder("mkdir -p out\n");
        for (var i = 0; i < commands.Count; i++)
        {
            script.Append(CultureInfo.InvariantCulture,
                $"{ShellArgument.Quote(toolchain.ProbePath)} --object {ShellArgument.Quote(toolchain.ProbeObjectPath)} --output out/probe-{i}.json {(recordTasks ? $"--tasks out/tasks-{i}.jsonl " : "")}-- /bin/sh -c {ShellArgument.Quote(commands[i])} > out/command-{i}.out 2> out/command-{i}.err\n");
        }

        script.Append("exit 0\n");
        var job = new SandboxJob("runqlat", script.ToString()) { Timeout = timeout ?? TimeSpan.FromMinutes(3), CpuCount = cpus };
        if (inputDirectory is { } input)
        {
            job.WithInputDirectory(input.Name, input.Path);
        }

        var result = await _sandbox.RunAsync(job, cancellationToken).ConfigureAwait(false);
        if (result.Failure is { } f)
        {
            return AllFail(new ProbeFailure(ProbeFailureKind.SandboxFailed, $"The sandbox gave no result: {f.Message}", f.Remedy), result);
        }

        var runs = new List<RunQueueLatencyRun>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            var output = result.ReadOutput($"command-{i}.out") ?? "";
            // Argument errors come before the output file is opened and so land on standard output.
            var text = result.ReadOutput($"probe-{i}.json") is { Length: > 0 } probe ? probe : output;
            _ = RunQueueLatencyReport.TryParse(text, out var report, out var failure);
            var malformed = 0;
            var tasks = recordTasks ? TaskRecord.ParseLines(result.ReadOutput($"tasks-{i}.jsonl"), out malformed) : [];
            runs.Add(new RunQueueLatencyRun(commands[i], report, failure, output, result.ReadOutput($"command-{i}.err") ?? "", result)
            {
                Tasks = tasks,
                TaskLinesMalformed = recordTasks ? malformed : 0,
            });
        }

        return runs;
    }
}
