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

    /// <inheritdoc />
    public override string ToString() => Report is { } r ? $"{Command}: {r.RunQueueLatency}" : $"{Command}: {Failure}";
}
