namespace SchedCP.Agents;

/// <summary>The three ways the paper's Planning agent can act.</summary>
public enum PlanKind
{
    /// <summary>Run an existing policy with new parameters.</summary>
    Reconfigure,

    /// <summary>Patch an existing policy's source.</summary>
    Revise,

    /// <summary>Write a new scheduler (from templates and primitives, or from scratch).</summary>
    Generate,
}
