using SchedCP.Agents.Runtime.Leases;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>The answer to a claim request: granted at once, or waiting in the queue.</summary>
public sealed class ClaimTicket
{
    internal ClaimTicket(long requestId, Task<Outcome<WorkUnitLease, RuntimeError>> grant, bool waited)
    {
        RequestId = requestId;
        Grant = grant;
        Waited = waited;
    }

    /// <summary>The request's place in arrival order.</summary>
    public long RequestId { get; }

    /// <summary>Completes with the lease when granted, or with <see cref="RuntimeErrorCode.ClaimCancelled"/> when the wait is cancelled.</summary>
    public Task<Outcome<WorkUnitLease, RuntimeError>> Grant { get; }

    /// <summary>Whether the request had to wait (it conflicted with a lease or an earlier waiter).</summary>
    public bool Waited { get; }
}
