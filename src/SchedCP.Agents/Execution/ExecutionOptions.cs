using System.ComponentModel.DataAnnotations;
using SchedCP.ControlPlane.Verification;

namespace SchedCP.Agents;

/// <summary>
/// Options of the Execution agent. Its folders (<see cref="WorkbenchOptions"/>) are the control plane's workbench's too,
/// so the agents and every front end build and read from the same places.
/// </summary>
public sealed class ExecutionOptions : WorkbenchOptions
{
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
