namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>What an artifact holds.</summary>
public enum ArtifactKind
{
    /// <summary>A unified diff of one file change, recorded before the change is applied.</summary>
    Diff,
    /// <summary>The captured output of a process run.</summary>
    ProcessOutput,
    /// <summary>A message or result one agent declares for others (plans, findings, summaries).</summary>
    Message,
    /// <summary>Structured data, usually JSON.</summary>
    Data,
}
