using SchedCP.Verifier.Canary;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>A request to put a scheduler on the host: what, with which token, and who asks.</summary>
/// <param name="Candidate">The scheduler as it would run: its object, ops name and <c>.rodata</c> values.</param>
/// <param name="Token">The deployment token the verifier issued for it; null or empty is refused unless <see cref="UnsafeNoToken"/>.</param>
/// <param name="Origin">Who asks (<c>mcp</c>, <c>cli</c>, <c>optimize</c>, …); journaled with every transition.</param>
public sealed record DeploymentRequest(DeployableScheduler Candidate, string? Token, string Origin)
{
    /// <summary>
    /// The parameter values the token was issued for (the policy's own parameter names); default: the candidate's
    /// <c>.rodata</c> values.
    /// </summary>
    public IReadOnlyDictionary<string, string>? TokenParameters { get; init; }

    /// <summary>
    /// Lab use only: deploy without a token. Allowed only when <see cref="DeploymentOptions.AllowUnsafeNoToken"/> is set;
    /// the deployment is journaled as unsafe and still goes through the canary.
    /// </summary>
    public bool UnsafeNoToken { get; init; }

    /// <summary>A fault to inject into the canary (tests and drills).</summary>
    public CanaryFault Fault { get; init; }
}
