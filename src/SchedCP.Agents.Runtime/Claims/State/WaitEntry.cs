using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims.State;

/// <summary>A request waiting in FIFO order; <see cref="Seq"/> is its request id and its place in line.</summary>
internal sealed class WaitEntry(long seq, string holder, Claim[] claims, TimeSpan ttl, DateTimeOffset enqueuedAt)
{
    public long Seq { get; } = seq;
    public string Holder { get; } = holder;
    public Claim[] Claims { get; } = claims;
    public TimeSpan Ttl { get; } = ttl;
    public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;

    /// <summary>
    /// In a store shared by processes, the time after which the request is dropped unless the process that made it
    /// refreshes it: a killed process must not block the line forever. Null (never dropped) in a private table.
    /// </summary>
    public DateTimeOffset? AliveUntil { get; set; }

    public LinkedListNode<WaitEntry>? GlobalNode { get; set; }
    public LinkedListNode<QueueSlot>[]? QueueNodes { get; set; }
    public bool Done { get; set; }
    public long GatherPass { get; set; }
}

/// <summary>One claim of a waiting request, in its unit's line.</summary>
internal readonly record struct QueueSlot(WaitEntry Entry, Claim Claim);

/// <summary>The line of waiting claims on one unit.</summary>
internal sealed class UnitQueue
{
    public LinkedList<QueueSlot> Slots { get; } = new();
    public int ExclusiveCount { get; set; }
}
