namespace SchedCP.Agents.Runtime.Leases;

/// <summary>Why a lease ended.</summary>
public enum LeaseEndReason
{
    /// <summary>The holder released it.</summary>
    Released,
    /// <summary>Its TTL passed without a heartbeat.</summary>
    Expired,
    /// <summary>Its holder was terminated or finished, and the runtime released everything it held.</summary>
    HolderEnded,
}
