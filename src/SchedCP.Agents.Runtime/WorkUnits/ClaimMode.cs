namespace SchedCP.Agents.Runtime.WorkUnits;

/// <summary>How a work unit is claimed.</summary>
public enum ClaimMode
{
    /// <summary>Read access: any number of agents may share it.</summary>
    Shared,
    /// <summary>Write access: one agent only, and no shared claims alongside.</summary>
    Exclusive,
}
