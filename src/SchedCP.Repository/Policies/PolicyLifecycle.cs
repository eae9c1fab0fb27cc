namespace SchedCP.Repository;

/// <summary>Where a policy is in its life. Generated policies start as <see cref="Candidate"/>.</summary>
public enum PolicyLifecycle
{
    /// <summary>Submitted, not yet passed every verifier stage.</summary>
    Candidate,

    /// <summary>Every verifier stage passed; not yet deployed under a signed receipt.</summary>
    Verified,

    /// <summary>Deployed through a deployment the verifier signed.</summary>
    Production,

    /// <summary>Kept for history; no longer offered by default.</summary>
    Deprecated,

    /// <summary>A candidate the verifier refused; kept with its source and reasons as an antipattern.</summary>
    Rejected,
}
