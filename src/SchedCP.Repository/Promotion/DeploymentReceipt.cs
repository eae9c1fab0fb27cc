namespace SchedCP.Repository;

/// <summary>
/// An opaque, signed proof that the verifier deployed a policy. This package does not read it; an
/// <see cref="IDeploymentReceiptValidator"/> (implemented by the verifier) does.
/// </summary>
/// <param name="Token">The signed token as issued by the verifier.</param>
public sealed record DeploymentReceipt(string Token)
{
    /// <inheritdoc />
    public override string ToString() => $"DeploymentReceipt({Token.Length} chars)";
}
