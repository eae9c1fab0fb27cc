using System.ComponentModel.DataAnnotations;

namespace SchedCP.Agents;

/// <summary>Options of the Execution agent.</summary>
public sealed class ExecutionOptions
{
    /// <summary>Where the project's built BPF objects are; null uses <c>SCHEDCP_BPF_DIR</c> or finds <c>bpf/build</c> above the application.</summary>
    public string? BpfObjectDirectory { get; set; }

    /// <summary>The checkout that holds <c>bpf/</c>, where policies' sources are read for revision; null uses <c>SCHEDCP_SOURCE_DIR</c> or finds it above the objects or the application.</summary>
    public string? SourceDirectory { get; set; }

    /// <summary>Where generated sources and their objects are written (default: a folder under the temp directory).</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>How many times the model may repair a generated scheduler the verifier stopped (default 2).</summary>
    [Range(0, 10)]
    public int MaxRepairs { get; set; } = 2;

    /// <summary>Who submits sources through the <see cref="SchedulerToolbox"/>, stored as their provenance: <c>agent</c> (default), <c>mcp</c>, <c>cli</c>.</summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9_-]{0,31}$")]
    public string ToolOrigin { get; set; } = "agent";

    /// <summary>The guest's wall-clock limit per sandbox session (default 15 minutes).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
