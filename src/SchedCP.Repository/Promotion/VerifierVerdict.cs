namespace SchedCP.Repository;

/// <summary>
/// What one verifier stage said about a candidate. Kept with the policy for good, passed or not, so a rejected candidate
/// remains readable as an antipattern.
/// </summary>
/// <param name="Stage">The stage name (for example <c>compile</c>, <c>static</c>, <c>kernel-verifier</c>, <c>sandbox</c>, <c>performance</c>).</param>
/// <param name="Passed">Whether the stage passed.</param>
/// <param name="Reason">Why, in one or two sentences.</param>
/// <param name="Log">The stage's log (compiler output, verifier log, sandbox console), possibly truncated by the verifier.</param>
/// <param name="At">When the verdict was given.</param>
public sealed record VerifierVerdict(string Stage, bool Passed, string Reason, string Log, DateTimeOffset At);
