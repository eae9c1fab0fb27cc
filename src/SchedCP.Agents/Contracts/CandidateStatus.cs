namespace SchedCP.Agents;

/// <summary>How far a candidate got.</summary>
public enum CandidateStatus
{
    /// <summary>Its parameters or source were refused before anything ran (schema, unknown policy).</summary>
    Rejected,

    /// <summary>A verifier stage stopped it (compile, static analysis, the kernel verifier).</summary>
    FailedVerification,

    /// <summary>It did not attach, was ejected, or did not detach cleanly in the sandbox.</summary>
    Unhealthy,

    /// <summary>Measured in screening, not kept for the final round.</summary>
    Screened,

    /// <summary>Measured side by side with EEVDF in the final round.</summary>
    Measured,
}
