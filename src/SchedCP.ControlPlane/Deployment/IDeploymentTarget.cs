using SchedCP.Verifier.Canary;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>
/// Where a deployment acts: this machine's kernel (<see cref="HostDeploymentTarget"/>) or, on a machine without
/// sched_ext, a sandbox guest that plays the host (<see cref="SandboxDeploymentTarget"/>).
/// </summary>
public interface IDeploymentTarget
{
    /// <summary><c>host</c> or <c>sandbox</c>.</summary>
    string Where { get; }

    /// <summary>
    /// Runs one canary whose token the caller has accepted: baseline on the known-good scheduler (or EEVDF), switch to
    /// the candidate, watch it, and on a trip go back to the known-good scheduler or EEVDF. Journals every transition.
    /// </summary>
    /// <param name="plan">The canary; <see cref="CanaryPlan.TokenAcceptedAs"/> is set.</param>
    /// <param name="cancellationToken">Cancels the canary.</param>
    /// <returns>How it ended.</returns>
    /// <exception cref="InvalidOperationException">The sandbox or host failed; the message says why and what to do.</exception>
    Task<CanaryOutcome> CanaryAsync(CanaryPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Puts the known-good scheduler back, or EEVDF when it is null.</summary>
    /// <param name="knownGood">The rollback target.</param>
    /// <param name="cancellationToken">Cancels the switch.</param>
    /// <returns>What runs now (ops name or <c>EEVDF</c>) and a sentence on how it got there.</returns>
    Task<(string Running, string Reason)> RestoreAsync(DeployableScheduler? knownGood, CancellationToken cancellationToken = default);
}
