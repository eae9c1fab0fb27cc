using SchedCP.Agents.Runtime.Artifacts;

namespace SchedCP.Agents.Runtime.Tools;

/// <summary>What a process run produced.</summary>
/// <param name="ExitCode">The exit code; -1 when killed on timeout.</param>
/// <param name="StandardOutput">Captured stdout (cut to the configured size).</param>
/// <param name="StandardError">Captured stderr (cut to the configured size).</param>
/// <param name="TimedOut">Whether the timeout killed it.</param>
/// <param name="DurationMilliseconds">Wall time.</param>
/// <param name="OutputArtifactId">The artifact holding the output.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, long DurationMilliseconds, ArtifactId OutputArtifactId);
