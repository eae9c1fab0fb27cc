using System.Runtime.InteropServices;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// Grants, queues, renews, expires and fences claims on work units. Thread-safe; every operation reads
/// the clock once and applies expiries due at that time before doing anything else.
/// </summary>
/// <remarks>
/// <para>Fairness: a request is granted only when it conflicts with no live lease of another holder
/// and with no earlier waiting request of another holder. Waiters are therefore served in FIFO order;
/// a later request never barges past an earlier conflicting one, so nobody starves.</para>
/// <para>Deadlock: a request's claims are granted all at once or not at all, in canonical order, so a
/// single request never holds some units while waiting for others. An agent that already holds leases
/// and asks for more is checked against the wait-for graph; if waiting would close a cycle the request
/// is refused with <see cref="RuntimeErrorCode.DeadlockDetected"/> naming the cycle.</para>
/// </remarks>
public sealed class WorkUnitLockTable
{
    private const int MaxSpareSlotLists = 64;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IClaimObserver? _observer;
    private readonly Dictionary<long, LeaseEntry> _leases = [];
    private readonly Dictionary<string, List<HeldSlot>> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _heldBelow = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitQueue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _waitBelow = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _leaseCountByHolder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitEntry> _pendingByHolder = new(StringComparer.Ordinal);
    private readonly LinkedList<WaitEntry> _waiters = new();
    private readonly Stack<List<HeldSlot>> _spareSlotLists = new();
    private long _nextLeaseId;
    private long _nextToken;
    private long _nextRequestId;
    private long _gatherPass;
    private DateTimeOffset _expiryHint = DateTimeOffset.MaxValue;

    /// <summary>Creates an empty table.</summary>
    /// <param name="timeProvider">The clock for TTLs; inject a fake one in tests.</param>
    /// <param name="observer">Optional listener for every change.</param>
    public WorkUnitLockTable(TimeProvider timeProvider, IClaimObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _observer = observer;
    }

    /// <summary>The highest fencing token granted so far.</summary>
    public long LastFencingToken
    {
        get
        {
            lock (_gate)
            {
                return _nextToken;
            }
        }
    }

    /// <summary>
    /// Asks for a set of claims for <paramref name="holderId"/>. The set is granted whole, at once when
    /// nothing conflicts, otherwise after every earlier conflicting request and lease is gone.
    /// </summary>
    /// <param name="holderId">The agent asking.</param>
    /// <param name="claims">The claims; duplicates are merged, keeping the stronger mode.</param>
    /// <param name="ttl">How long the lease lives without a heartbeat.</param>
    /// <returns>A ticket, or an error: invalid input, an agent already waiting, or a deadlock.</returns>
    public Outcome<ClaimTicket> Request(string holderId, IReadOnlyList<Claim> claims, TimeSpan ttl)
    {
        if (Invalid(holderId, claims, ttl) is { } invalid)
        {
            return Outcome.Failure<ClaimTicket>(invalid);
        }

        var canonical = Canonicalise(claims);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Sweep(now);
            if (_pendingByHolder.TryGetValue(holderId, out var pending))
            {
                return Outcome.Failure<ClaimTicket>(RuntimeErrorCode.AlreadyWaiting,
                    $"Agent '{holderId}' already waits for request {pending.Seq}; wait for it to be granted before claiming more.");
            }

            var requestId = ++_nextRequestId;
            if (!ConflictsForNew(canonical, holderId))
            {
                var lease = GrantLocked(holderId, canonical, ttl, requestId, waited: false, now);
                return Outcome.Success(new ClaimTicket(requestId, Task.FromResult(Outcome.Success(lease)), waited: false));
            }

            if (_leaseCountByHolder.ContainsKey(holderId))
            {
                var cycle = FindCycle(holderId, canonical);
                if (cycle is not null)
                {
                    return Outcome.Failure<ClaimTicket>(RuntimeErrorCode.DeadlockDetected,
                        $"Agent '{holderId}' would wait in a cycle {cycle}: it holds units others wait for. Release its leases and claim all units in one request instead.");
                }
            }

            var entry = Enqueue(holderId, canonical, ttl, requestId, now);
            _observer?.OnQueued(Describe(entry), now);
            return Outcome.Success(new ClaimTicket(requestId, entry.Completion.Task, waited: true));
        }
    }

    /// <summary>
    /// Grants a set of claims for <paramref name="holderId"/> only if that can happen at once, without waiting: the
    /// synchronous fast path for the uncontended case. The test is the one <see cref="Request"/> applies, so a
    /// claim never barges past an earlier waiter; when it would have to wait nothing is queued and the caller
    /// gets <see cref="RuntimeErrorCode.WouldWait"/> (then use <see cref="Request"/> to wait in FIFO order).
    /// </summary>
    /// <param name="holderId">The agent asking.</param>
    /// <param name="claims">The claims; duplicates are merged, keeping the stronger mode.</param>
    /// <param name="ttl">How long the lease lives without a heartbeat.</param>
    /// <returns>The lease, or an error: invalid input, an agent already waiting, or <see cref="RuntimeErrorCode.WouldWait"/>.</returns>
    public Outcome<WorkUnitLease> TryClaim(string holderId, IReadOnlyList<Claim> claims, TimeSpan ttl)
    {
        if (Invalid(holderId, claims, ttl) is { } invalid)
        {
            return Outcome.Failure<WorkUnitLease>(invalid);
        }

        var canonical = Canonicalise(claims);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Sweep(now);
            if (_pendingByHolder.TryGetValue(holderId, out var pending))
            {
                return Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.AlreadyWaiting,
                    $"Agent '{holderId}' already waits for request {pending.Seq}; wait for it to be granted before claiming more.");
            }

            if (ConflictsForNew(canonical, holderId))
            {
                return Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.WouldWait,
                    $"Agent '{holderId}' cannot be granted {string.Join(", ", canonical)} at once: another agent holds or waits for a conflicting claim. Request it to wait in line.");
            }

            return Outcome.Success(GrantLocked(holderId, canonical, ttl, ++_nextRequestId, waited: false, now));
        }
    }

    /// <summary>Extends a live lease by its TTL (the heartbeat).</summary>
    /// <param name="leaseId">The lease.</param>
    /// <param name="holderId">Its holder.</param>
    /// <returns>The renewed lease, or <see cref="RuntimeErrorCode.LeaseNotFound"/> when it expired, was released or belongs to another holder.</returns>
    public Outcome<WorkUnitLease> Renew(long leaseId, string holderId)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Sweep(now);
            if (!_leases.TryGetValue(leaseId, out var entry) || !string.Equals(entry.Holder, holderId, StringComparison.Ordinal))
            {
                return LeaseNotFound<WorkUnitLease>(leaseId, holderId);
            }

            entry.ExpiresAt = now + entry.Ttl;
            entry.Snapshot = entry.Snapshot with { ExpiresAt = entry.ExpiresAt };
            _observer?.OnRenewed(entry.Snapshot, now);
            return Outcome.Success(entry.Snapshot);
        }
    }

    /// <summary>Gives a lease back; waiters it blocked are granted in FIFO order.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <param name="holderId">Its holder.</param>
    /// <returns>The released lease, or <see cref="RuntimeErrorCode.LeaseNotFound"/>.</returns>
    public Outcome<WorkUnitLease> Release(long leaseId, string holderId)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Sweep(now);
            if (!_leases.TryGetValue(leaseId, out var entry) || !string.Equals(entry.Holder, holderId, StringComparison.Ordinal))
            {
                return LeaseNotFound<WorkUnitLease>(leaseId, holderId);
            }

            RemoveLeaseLocked(entry, LeaseEndReason.Released, now);
            GrantWaitersLocked(entry.Claims, now);
            return Outcome.Success(entry.Snapshot);
        }
    }

    /// <summary>Cancels the holder's waiting request and releases all its leases (used when an agent ends).</summary>
    /// <param name="holderId">The holder.</param>
    /// <returns>How many leases were released.</returns>
    public int ReleaseAll(string holderId)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Sweep(now);
            var released = new List<Claim>();
            if (_pendingByHolder.TryGetValue(holderId, out var pending))
            {
                var described = Describe(pending);
                DequeueLocked(pending);
                released.AddRange(pending.Claims);
                _observer?.OnWaitCancelled(described, now);
                pending.Completion.TrySetResult(Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.ClaimCancelled,
                    $"Request {pending.Seq} of '{holderId}' was cancelled because the agent ended."));
            }

            var mine = _leases.Values.Where(l => string.Equals(l.Holder, holderId, StringComparison.Ordinal)).OrderBy(l => l.Id).ToList();
            foreach (var lease in mine)
            {
                RemoveLeaseLocked(lease, LeaseEndReason.HolderEnded, now);
                released.AddRange(lease.Claims);
            }

            GrantWaitersLocked(released, now);
            return mine.Count;
        }
    }

    /// <summary>Expires every lease whose TTL has passed and grants the waiters they blocked.</summary>
    /// <returns>How many leases expired.</returns>
    public int ExpireDue()
    {
        lock (_gate)
        {
            return Sweep(_time.GetUtcNow());
        }
    }

    /// <summary>The earliest expiry among live leases, or null when none are held.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            lock (_gate)
            {
                return _leases.Count == 0 ? null : _leases.Values.Min(l => l.ExpiresAt);
            }
        }
    }

    /// <summary>
    /// Checks, without changing anything, that <paramref name="fencingToken"/> is the token of a live lease
    /// of <paramref name="holderId"/> covering <paramref name="unit"/> in at least <paramref name="mode"/>.
    /// This is the check every mutating tool call passes.
    /// </summary>
    /// <param name="holderId">The agent.</param>
    /// <param name="unit">The unit touched.</param>
    /// <param name="mode">The access needed.</param>
    /// <param name="fencingToken">The token presented.</param>
    /// <returns>The covering lease, or <see cref="RuntimeErrorCode.StaleFencingToken"/> / <see cref="RuntimeErrorCode.NotClaimed"/>.</returns>
    public Outcome<WorkUnitLease> ValidateFencing(string holderId, WorkUnit unit, ClaimMode mode, long fencingToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            LeaseEntry? live = null;
            foreach (var slot in CoveringSlots(unit, holderId, mode))
            {
                if (slot.Lease.Token == fencingToken)
                {
                    if (slot.Lease.ExpiresAt <= now)
                    {
                        return Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.StaleFencingToken,
                            $"Fencing token {fencingToken} of '{holderId}' for {unit} is stale: lease {slot.Lease.Id} expired at {slot.Lease.ExpiresAt:O}. Claim the unit again and use the new token.");
                    }

                    return Outcome.Success(slot.Lease.Snapshot);
                }

                if (slot.Lease.ExpiresAt > now)
                {
                    live = slot.Lease;
                }
            }

            if (live is not null)
            {
                return Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.StaleFencingToken,
                    $"Fencing token {fencingToken} of '{holderId}' for {unit} is stale: the current token is {live.Token} (lease {live.Id}). Use the token of the lease you hold.");
            }

            return fencingToken > 0 && fencingToken <= _nextToken
                ? Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.StaleFencingToken,
                    $"Fencing token {fencingToken} of '{holderId}' for {unit} is stale: no live {mode.ToString().ToLowerInvariant()} lease of this agent covers the unit any more (it expired or was released). Claim it again.")
                : Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.NotClaimed,
                    $"'{holderId}' holds no {mode.ToString().ToLowerInvariant()} lease covering {unit}: claim it before using it.");
        }
    }

    /// <summary>Finds a live lease of the holder covering the unit in at least the mode (used for reads, which need no token).</summary>
    /// <param name="holderId">The agent.</param>
    /// <param name="unit">The unit.</param>
    /// <param name="mode">The access needed.</param>
    /// <returns>The lease or <see cref="RuntimeErrorCode.NotClaimed"/>.</returns>
    public Outcome<WorkUnitLease> FindCoveringLease(string holderId, WorkUnit unit, ClaimMode mode)
    {
        ArgumentNullException.ThrowIfNull(unit);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var slot in CoveringSlots(unit, holderId, mode))
            {
                if (slot.Lease.ExpiresAt > now)
                {
                    return Outcome.Success(slot.Lease.Snapshot);
                }
            }

            return Outcome.Failure<WorkUnitLease>(RuntimeErrorCode.NotClaimed,
                $"'{holderId}' holds no live {mode.ToString().ToLowerInvariant()} lease covering {unit}: claim it before using it.");
        }
    }

    /// <summary>A snapshot of the live leases, by lease id.</summary>
    /// <returns>The leases.</returns>
    public IReadOnlyList<WorkUnitLease> GetLeases()
    {
        lock (_gate)
        {
            return [.. _leases.Values.OrderBy(l => l.Id).Select(l => l.Snapshot)];
        }
    }

    /// <summary>A snapshot of the waiting requests in FIFO order.</summary>
    /// <returns>The waiters.</returns>
    public IReadOnlyList<WaitingClaim> GetWaiters()
    {
        lock (_gate)
        {
            var result = new List<WaitingClaim>(_waiters.Count);
            var position = 0;
            foreach (var entry in _waiters)
            {
                result.Add(new WaitingClaim(entry.Seq, entry.Holder, entry.Claims, position++, entry.EnqueuedAt));
            }

            return result;
        }
    }

    private static RuntimeError? Invalid(string holderId, IReadOnlyList<Claim> claims, TimeSpan ttl)
    {
        if (string.IsNullOrWhiteSpace(holderId))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "holderId is empty: name the agent that claims.");
        }

        if (claims is null || claims.Count == 0)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "claims is empty: claim at least one work unit.");
        }

        if (ttl <= TimeSpan.Zero)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"ttl is {ttl}: give a positive time to live, e.g. 30 seconds.");
        }

        return null;
    }

    internal static Claim[] Canonicalise(IReadOnlyList<Claim> claims)
    {
        if (claims.Count == 1)
        {
            ArgumentNullException.ThrowIfNull(claims[0]);
            return [claims[0]];
        }

        // Merge duplicates keeping the stronger mode, then sort: ordered acquisition by unit key.
        var byKey = new Dictionary<string, Claim>(claims.Count, StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            ArgumentNullException.ThrowIfNull(claim);
            if (!byKey.TryGetValue(claim.Unit.Key, out var existing))
            {
                byKey[claim.Unit.Key] = claim;
                continue;
            }

            var unit = existing.Unit.Kind == WorkUnitKind.Directory ? existing.Unit : claim.Unit;
            var mode = existing.Mode == ClaimMode.Exclusive ? ClaimMode.Exclusive : claim.Mode;
            byKey[claim.Unit.Key] = new Claim(unit, mode);
        }

        var result = byKey.Values.ToArray();
        if (result.Length > 1)
        {
            Array.Sort(result, static (a, b) => string.CompareOrdinal(a.Unit.Key, b.Unit.Key));
        }

        return result;
    }

    private static bool ModesConflict(ClaimMode a, ClaimMode b) => a == ClaimMode.Exclusive || b == ClaimMode.Exclusive;

    private static Outcome<T> LeaseNotFound<T>(long leaseId, string holderId) =>
        Outcome.Failure<T>(RuntimeErrorCode.LeaseNotFound,
            $"Lease {leaseId} of '{holderId}' is not live: it expired, was released, or belongs to another agent. Claim the units again.");

    private List<HeldSlot> CoveringSlots(WorkUnit unit, string holderId, ClaimMode mode)
    {
        var result = new List<HeldSlot>(2);
        void Scan(string key, bool ancestor)
        {
            if (!_held.TryGetValue(key, out var slots))
            {
                return;
            }

            foreach (var slot in slots)
            {
                if (string.Equals(slot.Lease.Holder, holderId, StringComparison.Ordinal)
                    && (!ancestor || slot.Claim.Unit.Kind == WorkUnitKind.Directory)
                    && (mode == ClaimMode.Shared || slot.Claim.Mode == ClaimMode.Exclusive)
                    && slot.Claim.Unit.Covers(unit))
                {
                    result.Add(slot);
                }
            }
        }

        Scan(unit.Key, ancestor: false);
        foreach (var ancestor in unit.AncestorKeys)
        {
            Scan(ancestor, ancestor: true);
        }

        return result;
    }

    private bool ConflictsForNew(Claim[] claims, string holder)
    {
        foreach (var claim in claims)
        {
            if (HeldConflict(claim, holder, null) || WaiterConflict(null, claim, holder, null))
            {
                return true;
            }
        }

        return false;
    }

    private bool HeldConflict(Claim claim, string holder, HashSet<string>? blockers)
    {
        var found = false;
        bool Check(HeldSlot slot, bool ancestor)
        {
            if (string.Equals(slot.Lease.Holder, holder, StringComparison.Ordinal) || !ModesConflict(claim.Mode, slot.Claim.Mode))
            {
                return false;
            }

            if (ancestor && slot.Claim.Unit.Kind != WorkUnitKind.Directory)
            {
                return false;
            }

            found = true;
            blockers?.Add(slot.Lease.Holder);
            return blockers is null;
        }

        if (_held.TryGetValue(claim.Unit.Key, out var exact))
        {
            foreach (var slot in exact)
            {
                if (Check(slot, ancestor: false))
                {
                    return true;
                }
            }
        }

        if (claim.Unit.Kind != WorkUnitKind.Process && _held.Count > 0)
        {
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                if (_held.TryGetValue(ancestor, out var slots))
                {
                    foreach (var slot in slots)
                    {
                        if (Check(slot, ancestor: true))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        if (claim.Unit.Kind == WorkUnitKind.Directory && _heldBelow.TryGetValue(claim.Unit.Key, out var below) && below > 0)
        {
            foreach (var lease in _leases.Values)
            {
                foreach (var held in lease.Claims)
                {
                    if (held.Unit.Kind != WorkUnitKind.Process && WorkUnit.IsBelow(held.Unit.Name, claim.Unit.Name)
                        && Check(new HeldSlot(lease, held), ancestor: false))
                    {
                        return true;
                    }
                }
            }
        }

        return found;
    }

    private bool WaiterConflict(WaitEntry? self, Claim claim, string holder, HashSet<string>? blockers)
    {
        var found = false;
        var selfSeq = self?.Seq ?? long.MaxValue;
        bool Check(WaitEntry other, Claim otherClaim, bool ancestor)
        {
            if (other.Seq >= selfSeq || string.Equals(other.Holder, holder, StringComparison.Ordinal) || !ModesConflict(claim.Mode, otherClaim.Mode))
            {
                return false;
            }

            if (ancestor && otherClaim.Unit.Kind != WorkUnitKind.Directory)
            {
                return false;
            }

            found = true;
            blockers?.Add(other.Holder);
            return blockers is null;
        }

        if (_queues.TryGetValue(claim.Unit.Key, out var queue))
        {
            if (self is null && blockers is null)
            {
                // A new request comes after every waiter and its holder has none waiting.
                if (claim.Mode == ClaimMode.Exclusive ? queue.Slots.Count > 0 : queue.ExclusiveCount > 0)
                {
                    return true;
                }
            }
            else
            {
                foreach (var slot in queue.Slots)
                {
                    if (slot.Entry == self)
                    {
                        break;
                    }

                    if (Check(slot.Entry, slot.Claim, ancestor: false))
                    {
                        return true;
                    }
                }
            }
        }

        if (claim.Unit.Kind != WorkUnitKind.Process && _queues.Count > 0)
        {
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                if (_queues.TryGetValue(ancestor, out var ancestorQueue))
                {
                    foreach (var slot in ancestorQueue.Slots)
                    {
                        if (slot.Entry == self)
                        {
                            break;
                        }

                        if (Check(slot.Entry, slot.Claim, ancestor: true))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        if (claim.Unit.Kind == WorkUnitKind.Directory && _waitBelow.TryGetValue(claim.Unit.Key, out var below) && below > 0)
        {
            foreach (var other in _waiters)
            {
                if (other == self)
                {
                    break;
                }

                foreach (var otherClaim in other.Claims)
                {
                    if (otherClaim.Unit.Kind != WorkUnitKind.Process && WorkUnit.IsBelow(otherClaim.Unit.Name, claim.Unit.Name)
                        && Check(other, otherClaim, ancestor: false))
                    {
                        return true;
                    }
                }
            }
        }

        return found;
    }

    private HashSet<string> BlockersOf(WaitEntry? self, Claim[] claims, string holder)
    {
        var blockers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            HeldConflict(claim, holder, blockers);
            WaiterConflict(self, claim, holder, blockers);
        }

        return blockers;
    }

    private string? FindCycle(string holder, Claim[] claims)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        foreach (var blocker in BlockersOf(null, claims, holder).Order(StringComparer.Ordinal))
        {
            parent.TryAdd(blocker, holder);
            stack.Push(blocker);
        }

        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (string.Equals(current, holder, StringComparison.Ordinal))
            {
                var path = new List<string> { holder };
                var step = parent[holder];
                while (!string.Equals(step, holder, StringComparison.Ordinal))
                {
                    path.Add(step);
                    step = parent[step];
                }

                path.Add(holder);
                path.Reverse();
                return string.Join(" -> ", path);
            }

            if (!_pendingByHolder.TryGetValue(current, out var pending))
            {
                continue;
            }

            foreach (var next in BlockersOf(pending, pending.Claims, current).Order(StringComparer.Ordinal))
            {
                if (parent.TryAdd(next, current))
                {
                    stack.Push(next);
                }
            }
        }

        return null;
    }

    private WorkUnitLease GrantLocked(string holder, Claim[] claims, TimeSpan ttl, long requestId, bool waited, DateTimeOffset now)
    {
        var entry = new LeaseEntry(++_nextLeaseId, holder, claims, ++_nextToken, ttl, now);
        _leases.Add(entry.Id, entry);
        foreach (var claim in claims)
        {
            ref var slots = ref CollectionsMarshal.GetValueRefOrAddDefault(_held, claim.Unit.Key, out _);
            slots ??= _spareSlotLists.Count > 0 ? _spareSlotLists.Pop() : new List<HeldSlot>(1);
            slots.Add(new HeldSlot(entry, claim));
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_heldBelow, ancestor, out _)++;
            }
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_leaseCountByHolder, holder, out _)++;
        if (entry.ExpiresAt < _expiryHint)
        {
            _expiryHint = entry.ExpiresAt;
        }

        _observer?.OnGranted(entry.Snapshot, requestId, waited, now);
        return entry.Snapshot;
    }

    private void RemoveLeaseLocked(LeaseEntry entry, LeaseEndReason reason, DateTimeOffset now)
    {
        _leases.Remove(entry.Id);
        foreach (var claim in entry.Claims)
        {
            var slots = _held[claim.Unit.Key];
            RemoveSlotsOf(slots, entry);
            if (slots.Count == 0)
            {
                _held.Remove(claim.Unit.Key);
                if (_spareSlotLists.Count < MaxSpareSlotLists)
                {
                    _spareSlotLists.Push(slots);
                }
            }

            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                Decrement(_heldBelow, ancestor);
            }
        }

        Decrement(_leaseCountByHolder, entry.Holder);

        _observer?.OnEnded(entry.Snapshot, reason, now);
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

    private WaitEntry Enqueue(string holder, Claim[] claims, TimeSpan ttl, long requestId, DateTimeOffset now)
    {
        var entry = new WaitEntry(requestId, holder, claims, ttl, now);
        entry.GlobalNode = _waiters.AddLast(entry);
        entry.QueueNodes = new LinkedListNode<QueueSlot>[claims.Length];
        for (var i = 0; i < claims.Length; i++)
        {
            var claim = claims[i];
            if (!_queues.TryGetValue(claim.Unit.Key, out var queue))
            {
                queue = new UnitQueue();
                _queues.Add(claim.Unit.Key, queue);
            }

            entry.QueueNodes[i] = queue.Slots.AddLast(new QueueSlot(entry, claim));
            if (claim.Mode == ClaimMode.Exclusive)
            {
                queue.ExclusiveCount++;
            }

            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_waitBelow, ancestor, out _)++;
            }
        }

        _pendingByHolder.Add(holder, entry);
        return entry;
    }

    private void DequeueLocked(WaitEntry entry)
    {
        _waiters.Remove(entry.GlobalNode!);
        for (var i = 0; i < entry.Claims.Length; i++)
        {
            var claim = entry.Claims[i];
            var queue = _queues[claim.Unit.Key];
            queue.Slots.Remove(entry.QueueNodes![i]);
            if (claim.Mode == ClaimMode.Exclusive)
            {
                queue.ExclusiveCount--;
            }

            if (queue.Slots.Count == 0)
            {
                _queues.Remove(claim.Unit.Key);
            }

            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                Decrement(_waitBelow, ancestor);
            }
        }

        _pendingByHolder.Remove(entry.Holder);
        entry.Done = true;
    }

    private void GrantWaitersLocked(IReadOnlyCollection<Claim> released, DateTimeOffset now)
    {
        if (_waiters.Count == 0 || released.Count == 0)
        {
            return;
        }

        var pass = ++_gatherPass;
        var candidates = new List<WaitEntry>();
        void Gather(UnitQueue? queue)
        {
            if (queue is null)
            {
                return;
            }

            // Behind the first exclusive waiter nobody else on this unit can be granted in this pass.
            foreach (var slot in queue.Slots)
            {
                if (slot.Entry.GatherPass != pass)
                {
                    slot.Entry.GatherPass = pass;
                    candidates.Add(slot.Entry);
                }

                if (slot.Claim.Mode == ClaimMode.Exclusive)
                {
                    break;
                }
            }
        }

        foreach (var claim in released)
        {
            Gather(_queues.GetValueOrDefault(claim.Unit.Key));
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                Gather(_queues.GetValueOrDefault(ancestor));
            }

            if (claim.Unit.Kind == WorkUnitKind.Directory && _waitBelow.GetValueOrDefault(claim.Unit.Key) > 0)
            {
                foreach (var waiter in _waiters)
                {
                    if (waiter.GatherPass != pass && waiter.Claims.Any(c => c.Unit.Kind != WorkUnitKind.Process && WorkUnit.IsBelow(c.Unit.Name, claim.Unit.Name)))
                    {
                        waiter.GatherPass = pass;
                        candidates.Add(waiter);
                    }
                }
            }
        }

        if (candidates.Count > 1)
        {
            candidates.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Done || !Grantable(candidate))
            {
                continue;
            }

            DequeueLocked(candidate);
            var lease = GrantLocked(candidate.Holder, candidate.Claims, candidate.Ttl, candidate.Seq, waited: true, now);
            candidate.Completion.TrySetResult(Outcome.Success(lease));
        }
    }

    private bool Grantable(WaitEntry entry)
    {
        foreach (var claim in entry.Claims)
        {
            if (HeldConflict(claim, entry.Holder, null) || WaiterConflict(entry, claim, entry.Holder, null))
            {
                return false;
            }
        }

        return true;
    }

    private int Sweep(DateTimeOffset now)
    {
        if (now < _expiryHint)
        {
            return 0;
        }

        List<LeaseEntry>? expired = null;
        var hint = DateTimeOffset.MaxValue;
        foreach (var lease in _leases.Values)
        {
            if (lease.ExpiresAt <= now)
            {
                (expired ??= []).Add(lease);
            }
            else if (lease.ExpiresAt < hint)
            {
                hint = lease.ExpiresAt;
            }
        }

        _expiryHint = hint;
        if (expired is null)
        {
            return 0;
        }

        expired.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        var released = new List<Claim>();
        foreach (var lease in expired)
        {
            RemoveLeaseLocked(lease, LeaseEndReason.Expired, now);
            released.AddRange(lease.Claims);
        }

        GrantWaitersLocked(released, now);
        return expired.Count;
    }

    private WaitingClaim Describe(WaitEntry entry)
    {
        var position = 0;
        for (var node = _waiters.First; node is not null && node.Value != entry; node = node.Next)
        {
            position++;
        }

        return new WaitingClaim(entry.Seq, entry.Holder, entry.Claims, position, entry.EnqueuedAt);
    }

    private sealed class LeaseEntry
    {
        public LeaseEntry(long id, string holder, Claim[] claims, long token, TimeSpan ttl, DateTimeOffset now)
        {
            Id = id;
            Holder = holder;
            Claims = claims;
            Token = token;
            Ttl = ttl;
            ExpiresAt = now + ttl;
            Snapshot = new WorkUnitLease(id, holder, claims, token, now, ExpiresAt, ttl);
        }

        public long Id { get; }
        public string Holder { get; }
        public Claim[] Claims { get; }
        public long Token { get; }
        public TimeSpan Ttl { get; }
        public DateTimeOffset ExpiresAt { get; set; }
        public WorkUnitLease Snapshot { get; set; }
    }

    private readonly record struct HeldSlot(LeaseEntry Lease, Claim Claim);

    private readonly record struct QueueSlot(WaitEntry Entry, Claim Claim);

    private sealed class UnitQueue
    {
        public LinkedList<QueueSlot> Slots { get; } = new();
        public int ExclusiveCount { get; set; }
    }

    private sealed class WaitEntry(long seq, string holder, Claim[] claims, TimeSpan ttl, DateTimeOffset enqueuedAt)
    {
        public long Seq { get; } = seq;
        public string Holder { get; } = holder;
        public Claim[] Claims { get; } = claims;
        public TimeSpan Ttl { get; } = ttl;
        public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;
        public TaskCompletionSource<Outcome<WorkUnitLease>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<WaitEntry>? GlobalNode { get; set; }
        public LinkedListNode<QueueSlot>[]? QueueNodes { get; set; }
        public bool Done { get; set; }
        public long GatherPass { get; set; }
    }
}
