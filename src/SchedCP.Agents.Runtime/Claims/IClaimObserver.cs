using SchedCP.Agents.Runtime.Leases;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// Hears every change in a <see cref="WorkUnitLockTable"/>, synchronously and in the order the changes
/// happen. Called while the table is locked: record, do not call back into the table.
/// </summary>
public interface IClaimObserver
{
    /// <summary>A request started waiting.</summary>
    /// <param name="waiting">The waiting request.</param>
    /// <param name="now">The table's time for the operation.</param>
    void OnQueued(WaitingClaim waiting, DateTimeOffset now);

    /// <summary>A request was granted.</summary>
    /// <param name="lease">The new lease.</param>
    /// <param name="requestId">The request it answers.</param>
    /// <param name="waited">Whether the request had waited.</param>
    /// <param name="now">The table's time for the operation.</param>
    void OnGranted(WorkUnitLease lease, long requestId, bool waited, DateTimeOffset now);

    /// <summary>A lease was renewed.</summary>
    /// <param name="lease">The lease with its new expiry.</param>
    /// <param name="now">The table's time for the operation.</param>
    void OnRenewed(WorkUnitLease lease, DateTimeOffset now);

    /// <summary>A lease ended.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The table's time for the operation.</param>
    void OnEnded(WorkUnitLease lease, LeaseEndReason reason, DateTimeOffset now);

    /// <summary>A waiting request was cancelled.</summary>
    /// <param name="waiting">The request.</param>
    /// <param name="now">The table's time for the operation.</param>
    void OnWaitCancelled(WaitingClaim waiting, DateTimeOffset now);
}
