using SchedCP.Repository;
using SchedCP.Verifier.Tokens;

namespace SchedCP.ControlPlane.Promotion;

/// <summary>
/// The repository's <see cref="IDeploymentReceiptValidator"/> on deployment tokens: a receipt is valid when its token
/// passes <see cref="DeploymentTokenValidator"/> for the policy and its content hash.
/// </summary>
/// <param name="validator">The token validator.</param>
public sealed class DeploymentReceiptValidator(DeploymentTokenValidator validator) : IDeploymentReceiptValidator
{
    /// <inheritdoc />
    public ValueTask<ReceiptValidation> ValidateAsync(DeploymentReceipt receipt, string policyName, string? sourceSha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var v = validator.Validate(receipt.Token, policyName, sourceSha256);
        return ValueTask.FromResult(v.IsValid ? ReceiptValidation.Valid(v.Token!.TokenId) : ReceiptValidation.Invalid($"{v.Refusal}: {v.Reason}"));
    }
}
