using SchedCP.Verifier.Canary;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>
/// The deployment target on a machine without sched_ext: a sched_ext guest plays the host through
/// <see cref="CanaryDeployer"/>, and nothing stays attached on this machine after the guest ends.
/// </summary>
/// <param name="canary">Runs canaries in the guest.</param>
public sealed class SandboxDeploymentTarget(CanaryDeployer canary) : IDeploymentTarget
{
    /// <inheritdoc />
    public string Where => "sandbox";

    /// <inheritdoc />
    public async Task<CanaryOutcome> CanaryAsync(CanaryPlan plan, CancellationToken cancellationToken = default)
    {
        var outcomes = await canary.DeployAsync([plan], cancellationToken).ConfigureAwait(false);
        return outcomes[0];
    }

    /// <inheritdoc />
    public Task<(string Running, string Reason)> RestoreAsync(DeployableScheduler? knownGood, CancellationToken cancellationToken = default) =>
        Task.FromResult((knownGood?.OpsName ?? "EEVDF",
            "this machine has no sched_ext, so nothing stays attached here; a guest that plays the host boots on "
            + (knownGood is null ? "EEVDF" : $"the known-good scheduler {knownGood.Name}")));
}
