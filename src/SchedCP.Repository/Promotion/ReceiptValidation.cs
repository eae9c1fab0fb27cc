namespace SchedCP.Repository;

/// <summary>The answer of an <see cref="IDeploymentReceiptValidator"/>.</summary>
/// <param name="IsValid">Whether the receipt is genuine and covers the policy and content hash asked about.</param>
/// <param name="Reason">Why not, or a short confirmation.</param>
/// <param name="ReceiptId">A stable id of the receipt, recorded with the promotion.</param>
public sealed record ReceiptValidation(bool IsValid, string Reason, string? ReceiptId = null)
{
    /// <summary>A valid receipt.</summary>
    /// <param name="receiptId">The receipt's id.</param>
    /// <returns>The validation.</returns>
    public static ReceiptValidation Valid(string receiptId) => new(true, "receipt verified", receiptId);

    /// <summary>An invalid receipt.</summary>
    /// <param name="reason">What is wrong with it.</param>
    /// <returns>The validation.</returns>
    public static ReceiptValidation Invalid(string reason) => new(false, reason);
}
