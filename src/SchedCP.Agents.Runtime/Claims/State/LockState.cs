using System.Runtime.InteropServices;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Claims.State;

/// <summary>
/// The leases, lines and counters of a lock table with the indexes the conflict checks read: units held and
/// waited for, counts under each directory, waiters in FIFO order. Not thread-safe; a store hands it to one
/// operation at a time. Every change goes through the primitives here, which tell the observer and, when the
/// state is persisted, note what the store must write.
/// </summary>
internal sealed class LockState
{
    private const int MaxSpareSlotLists = 64;

    private readonly Stack<List<HeldSlot>> _spareSlotLists = new();

    public Dictionary<long, LeaseEntry> Leases { get; } = [];
    public Dictionary<string, List<HeldSlot>> Held { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> HeldBelow { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, UnitQueue> Queues { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> WaitBelow { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> LeaseCountByHolder { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, WaitEntry> PendingByHolder { get; } = new(StringComparer.Ordinal);
    public LinkedList<WaitEntry> Waiters { get; } = new();

    public long NextLeaseId { get; set; }
    public long NextToken { get; set; }
    public long NextRequestId { get; set; }
    public long GatherPass { get; set; }

    /// <summary>No lease or shared-store waiter ends before this time, so a sweep before it has nothing to do.</summary>
    public DateTimeOffset ExpiryHint { get; set; } = DateTimeOffset.MaxValue;

    /// <summary>Who hears changes during the current operation.</summary>
    public IClaimObserver? Observer { get; set; }

    /// <summary>Whether requests wait with a liveness deadline (<see cref="WaitEntry.AliveUntil"/>): true in stores shared by processes.</summary>
    public bool WaitersNeedLiveness { get; init; }

    /// <summary>What the current operation changed, for a store that writes it back; null when nothing is persisted.</summary>
    public LockStateChanges? Changes { get; init; }

    /// <summary>Grants and cancellations of waiting requests during the current operation, settled after it commits.</summary>
    public List<(long RequestId, Outcome<WorkUnitLease, RuntimeError> Result)> Settlements { get; } = [];

    public LeaseEntry Grant(string holder, Claim[] claims, TimeSpan ttl, long requestId, bool waited, DateTimeOffset now)
    {
        var entry = new LeaseEntry(++NextLeaseId, holder, claims, ++NextToken, ttl, now, now + ttl, requestId);
        Index(entry);
        Changes?.LeaseWritten(entry.Id);
        Changes?.CountersWritten();
        Observer?.OnGranted(entry.Snapshot, requestId, waited, now);
        return entry;
    }

    /// <summary>Puts a lease read back from a store into the indexes; no observer, nothing to write.</summary>
    public void Restore(LeaseEntry entry) => Index(entry);

    public void Renew(LeaseEntry entry, DateTimeOffset now)
    {
        entry.ExpiresAt = now + entry.Ttl;
        entry.Snapshot = entry.Snapshot with { ExpiresAt = entry.ExpiresAt };
        Changes?.LeaseWritten(entry.Id);
        Observer?.OnRenewed(entry.Snapshot, now);
    }

    public void RemoveLease(LeaseEntry entry, LeaseEndReason reason, DateTimeOffset now)
    {
        Leases.Remove(entry.Id);
        foreach (var claim in entry.Claims)
        {
            var slots = Held[claim.Unit.Key];
            RemoveSlotsOf(slots, entry);
            if (slots.Count == 0)
            {
                Held.Remove(claim.Unit.Key);
                if (_spareSlotLists.Count < MaxSpareSlotLists)
                {
                    _spareSlotLists.Push(slots);
                }
            }

            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                Decrement(HeldBelow, ancestor);
            }
        }

        Decrement(LeaseCountByHolder, entry.Holder);
        Changes?.LeaseDeleted(entry.Id);
        Observer?.OnEnded(entry.Snapshot, reason, now);
    }

    public WaitEntry Enqueue(string holder, Claim[] claims, TimeSpan ttl, long requestId, DateTimeOffset now)
    {
        var entry = new WaitEntry(requestId, holder, claims, ttl, now);
        if (WaitersNeedLiveness)
        {
            entry.AliveUntil = now + ttl;
            ExpiryHint = entry.AliveUntil.Value < ExpiryHint ? entry.AliveUntil.Value : ExpiryHint;
        }

        Restore(entry);
        Changes?.WaiterWritten(entry.Seq);
        Changes?.CountersWritten();
        return entry;
    }

    /// <summary>Puts a waiting request at the end of the lines; used by <see cref="Enqueue"/> and by stores reading requests back in order.</summary>
    public void Restore(WaitEntry entry)
    {
        entry.GlobalNode = Waiters.AddLast(entry);
        entry.QueueNodes = new LinkedListNode<QueueSlot>[entry.Claims.Length];
        for (var i = 0; i < entry.Claims.Length; i++)
        {
            var claim = entry.Claims[i];
            if (!Queues.TryGetValue(claim.Unit.Key, out var queue))
            {
                queue = new UnitQueue();
                Queues.Add(claim.Unit.Key, queue);
            }

            entry.QueueNodes[i] = queue.Slots.AddLast(new QueueSlot(entry, claim));
            if (claim.Mode == ClaimMode.Exclusive)
            {
                queue.ExclusiveCount++;
            }

            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(WaitBelow, ancestor, out _)++;
            }
        }

        PendingByHolder.Add(entry.Holder, entry);
    }

    public void Dequeue(WaitEntry entry)
    {
        Waiters.Remove(entry.GlobalNode!);
        for (var i = 0; i < entry.Claims.Length; i++)
        {
            var claim = entry.Claims[i];
            var queue = Queues[claim.Unit.Key];
            queue.Slots.Remove(entry.QueueNodes![i]);
            if (claim.Mode == ClaimMode.Exclusive)
            {
                queue.ExclusiveCount--;
            }

            if (queue.Slots.Count == 0)
            {
                Queues.Remove(claim.Unit.Key);
            }

            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                Decrement(WaitBelow, ancestor);
            }
        }

        PendingByHolder.Remove(entry.Holder);
        entry.Done = true;
        Changes?.WaiterDeleted(entry.Seq);
    }

    /// <summary>Pushes a shared-store waiter's liveness deadline forward (its process is still there).</summary>
    public void KeepAlive(WaitEntry entry, DateTimeOffset now)
    {
        entry.AliveUntil = now + entry.Ttl;
        Changes?.WaiterWritten(entry.Seq);
    }

    public WaitingClaim Describe(WaitEntry entry)
    {
        var position = 0;
        for (var node = Waiters.First; node is not null && node.Value != entry; node = node.Next)
        {
            position++;
        }

        return new WaitingClaim(entry.Seq, entry.Holder, entry.Claims, position, entry.EnqueuedAt);
    }

    /// <summary>Recomputes <see cref="ExpiryHint"/> from scratch (after the state is read back from a store).</summary>
    public void RecomputeExpiryHint()
    {
        var hint = DateTimeOffset.MaxValue;
        foreach (var lease in Leases.Values)
        {
            hint = lease.ExpiresAt < hint ? lease.ExpiresAt : hint;
        }

        foreach (var waiter in Waiters)
        {
            hint = waiter.AliveUntil is { } alive && alive < hint ? alive : hint;
        }

        ExpiryHint = hint;
    }

    private void Index(LeaseEntry entry)
    {
        Leases.Add(entry.Id, entry);
        foreach (var claim in entry.Claims)
        {
            ref var slots = ref CollectionsMarshal.GetValueRefOrAddDefault(Held, claim.Unit.Key, out _);
            slots ??= _spareSlotLists.Count > 0 ? _spareSlotLists.Pop() : new List<HeldSlot>(1);
            slots.Add(new HeldSlot(entry, claim));
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(HeldBelow, ancestor, out _)++;
            }
        }

        CollectionsMarshal.GetValueRefOrAddDefault(LeaseCountByHolder, entry.Holder, out _)++;
        if (entry.ExpiresAt < ExpiryHint)
        {
            ExpiryHint = entry.ExpiresAt;
        }
    }

    private static void RemoveSlotsOf(List<HeldSlot> slots, LeaseEntry entry)
    {
        var kept = 0;
        for (var i = 0; i < slots.Count; i++)
        {
            if (slots[i].Lease != entry)
            {
                slots[kept++] = slots[i];
            }
        }

        slots.RemoveRange(kept, slots.Count - kept);
    }

    // Counts are kept only while positive, so the dictionaries never fill with zeros.
    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(counts, key);
        if (--count == 0)
        {
            counts.Remove(key);
        }
    }
}
