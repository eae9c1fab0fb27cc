using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Analysis;

/// <summary>One command measured by the run-queue latency probe.</summary>
/// <param name="Command">The shell command that ran under the probe.</param>
/// <param name="Report">The histograms; null when <paramref name="Failure"/> is set.</param>
/// <param name="Failure">Why there are no histograms.</param>
/// <param name="CommandOutput">The command's standard output (a benchmark workload's JSON result, for example).</param>
/// <param name="CommandErrors">The command's standard error.</param>
/// <param name="Sandbox">The sandbox job the command ran in, for its log and output folder; null when none ran.</param>
public sealed record RunQueueLatencyRun(
    string Command,
    RunQueueLatencyReport? Report,
    ProbeFailure? Failure,
    string CommandOutput,
    string CommandErrors,
    SandboxResult? Sandbox)
{
    /// <summary>True when the probe produced histograms.</summary>
    public bool Succeeded => Report is not null;

    /// <summary>Every task that exited while the probe was attached, when task records were asked for.</summary>
    public IReadOnlyList<TaskRecord> Tasks { get; init; } = [];

    /// <summary>Task lines that did not parse (0 normally).</summary>
    public int TaskLinesMalformed { get; init; }

    /// <summary>The measured command's task tree from <see cref="Tasks"/>, with the kernel's exact counters.</summary>
    /// <param name="source">Where the probe ran.</param>
    public ProcessTreeObservation TaskTree(ObservationSource source = ObservationSource.GuestBpf) =>
        TaskRecordTree.Build(Tasks, Report?.CommandPid ?? 0, (Report?.TasksLost ?? 0) + TaskLinesMalformed, source);

    /// <inheritdoc />
    public override string ToString() => Report is { } r ? $"{Command}: {r.RunQueueLatency}" : $"{Command}: {Failure}";
}
