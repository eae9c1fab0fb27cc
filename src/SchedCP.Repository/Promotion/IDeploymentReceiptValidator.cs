namespace SchedCP.Repository;

/// <summary>
/// Checks that a deployment receipt was signed by the verifier for exactly this policy and content. Implemented by the
/// verifier package; without one registered, no policy can be promoted to production.
/// </summary>
public interface IDeploymentReceiptValidator
{
    /// <summary>Validates <paramref name="receipt"/> for the policy <paramref name="policyName"/> whose source hashes to <paramref name="sourceSha256"/>.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="policyName">The policy being promoted.</param>
    /// <param name="sourceSha256">The SHA-256 of the policy's source (or of its object when it has no source), or <see langword="null"/> when it has neither.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether the receipt is valid, and why not.</returns>
    ValueTask<ReceiptValidation> ValidateAsync(DeploymentReceipt receipt, string policyName, string? sourceSha256, CancellationToken cancellationToken = default);
}
