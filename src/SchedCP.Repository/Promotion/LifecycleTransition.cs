namespace SchedCP.Repository;

/// <summary>A recorded change of a policy's lifecycle, with the reason and, for production, the receipt that allowed it.</summary>
/// <param name="PolicyName">The policy.</param>
/// <param name="From">The state before; <see langword="null"/> when the policy entered the repository.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">Why the change was made.</param>
/// <param name="ReceiptId">The id of the deployment receipt that allowed a promotion to production.</param>
/// <param name="At">When the change was made.</param>
public sealed record LifecycleTransition(string PolicyName, PolicyLifecycle? From, PolicyLifecycle To, string Reason, string? ReceiptId, DateTimeOffset At);
