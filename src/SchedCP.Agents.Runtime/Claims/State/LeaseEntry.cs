using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims.State;

/// <summary>A live lease as the lock state indexes it; <see cref="Snapshot"/> is what callers see.</summary>
internal sealed class LeaseEntry
{
    public LeaseEntry(long id, string holder, Claim[] claims, long token, TimeSpan ttl, DateTimeOffset grantedAt, DateTimeOffset expiresAt, long requestId)
    {
        Id = id;
        Holder = holder;
        Claims = claims;
        Token = token;
        Ttl = ttl;
        ExpiresAt = expiresAt;
        RequestId = requestId;
        Snapshot = new WorkUnitLease(id, holder, claims, token, grantedAt, expiresAt, ttl);
    }

    public long Id { get; }
    public string Holder { get; }
    public Claim[] Claims { get; }
    public long Token { get; }
    public TimeSpan Ttl { get; }

    /// <summary>The request that produced the lease, so a process that queued it can find its grant after another process granted it.</summary>
    public long RequestId { get; }

    public DateTimeOffset ExpiresAt { get; set; }
    public WorkUnitLease Snapshot { get; set; }
}

/// <summary>One claim of a lease, indexed under its unit.</summary>
internal readonly record struct HeldSlot(LeaseEntry Lease, Claim Claim);
