using SchedCP.Agents.Runtime.Claims.State;
using SchedCP.Agents.Runtime.Claims.Storage;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Results;

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
/// <para>Storage: the state lives in a <see cref="WorkUnitLockStore"/>. Over a store shared by processes
/// (<see cref="WorkUnitLockStore.Sqlite"/>) holder ids name holders across all of them, so give agents of
/// different processes different ids; a waiting request is polled for grants made by other processes and kept
/// alive while this table exists, and dropped one TTL after its process stopped.</para>
/// </remarks>
public sealed class WorkUnitLockTable
{
    private readonly TimeProvider _time;
    private readonly IClaimObserver? _observer;
    private readonly WorkUnitLockStore _store;
    private readonly HolderScope _scope;
    private readonly Lock _ticketsGate = new();
    private readonly Dictionary<long, TaskCompletionSource<Outcome<WorkUnitLease, RuntimeError>>> _tickets = [];
    private ITimer? _poll;
    private int _polling;

    /// <summary>Creates an empty table in memory.</summary>
    /// <param name="timeProvider">The clock for TTLs; inject a fake one in tests.</param>
    /// <param name="observer">Optional listener for every change.</param>
    public WorkUnitLockTable(TimeProvider timeProvider, IClaimObserver? observer = null)
        : this(timeProvider, WorkUnitLockStore.InMemory(), observer)
    {
    }

    /// <summary>Creates a table over <paramref name="store"/>, which the caller keeps and disposes; one table per store.</summary>
    /// <param name="timeProvider">The clock for TTLs.</param>
    /// <param name="store">Where leases, waiters and the fencing counter live.</param>
    /// <param name="observer">Optional listener for every change this table makes (and for grants other processes made to its requests).</param>
    /// <param name="holderScope">
    /// Optional: keeps this table's holders apart from same-named holders of other tables in a shared store (in the
    /// store they are "scope/id"; this table's callers and observer see "id"). Give each process its own scope when
    /// processes reuse agent names; leave null when holder ids are already unique across processes.
    /// </param>
    public WorkUnitLockTable(TimeProvider timeProvider, WorkUnitLockStore store, IClaimObserver? observer = null, string? holderScope = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(store);
        store.Attach();
        _time = timeProvider;
        _store = store;
        _scope = new HolderScope(holderScope);
        _observer = _scope.Out(observer);
    }

    /// <summary>The highest fencing token granted so far.</summary>
    public long LastFencingToken => Run(static (state, _) => state.NextToken);

    /// <summary>
    /// Asks for a set of claims for <paramref name="holderId"/>. The set is granted whole, at once when
    /// nothing conflicts, otherwise after every earlier conflicting request and lease is gone.
    /// </summary>
    /// <param name="holderId">The agent asking.</param>
    /// <param name="claims">The claims; duplicates are merged, keeping the stronger mode.</param>
    /// <param name="ttl">How long the lease lives without a heartbeat.</param>
    /// <returns>A ticket, or an error: invalid input, an agent already waiting, or a deadlock.</returns>
    public Outcome<ClaimTicket, RuntimeError> Request(string holderId, IReadOnlyList<Claim> claims, TimeSpan ttl)
    {
        if (ClaimRequests.Invalid(holderId, claims, ttl) is { } invalid)
        {
            return invalid;
        }

        var canonical = ClaimRequests.Canonicalise(claims);
        holderId = _scope.In(holderId);
        var outcome = Run((Table: this, HolderId: holderId, Claims: canonical, Ttl: ttl), static Outcome<ClaimTicket, RuntimeError> (state, now, request) =>
        {
            var (table, holderId, canonical, ttl) = request;
            LeaseExpiry.Sweep(state, now);
            if (state.PendingByHolder.TryGetValue(holderId, out var pending))
            {
                return new RuntimeError(RuntimeErrorCode.AlreadyWaiting,
                    $"Agent '{holderId}' already waits for request {pending.Seq}; wait for it to be granted before claiming more.");
            }

            var requestId = ++state.NextRequestId;
            if (!ClaimConflicts.ForNewRequest(state, canonical, holderId))
            {
                var lease = state.Grant(holderId, canonical, ttl, requestId, waited: false, now);
                return new ClaimTicket(requestId, Task.FromResult(Outcome<WorkUnitLease, RuntimeError>.Success(table._scope.Out(lease.Snapshot))), waited: false);
            }

            if (state.LeaseCountByHolder.ContainsKey(holderId) && WaitForGraph.FindCycle(state, holderId, canonical) is { } cycle)
            {
                return new RuntimeError(RuntimeErrorCode.DeadlockDetected,
                    $"Agent '{holderId}' would wait in a cycle {cycle}: it holds units others wait for. Release its leases and claim all units in one request instead.");
            }

            var entry = state.Enqueue(holderId, canonical, ttl, requestId, now);
            var completion = new TaskCompletionSource<Outcome<WorkUnitLease, RuntimeError>>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (table._ticketsGate)
            {
                table._tickets.Add(requestId, completion);
            }

            table._observer?.OnQueued(state.Describe(entry), now);
            return new ClaimTicket(requestId, completion.Task, waited: true);
        });

        if (outcome.Succeeded && outcome.Value.Waited && _store.IsShared && _store.PollInterval != Timeout.InfiniteTimeSpan)
        {
            StartPolling();
        }

        return outcome;
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
    public Outcome<WorkUnitLease, RuntimeError> TryClaim(string holderId, IReadOnlyList<Claim> claims, TimeSpan ttl)
    {
        if (ClaimRequests.Invalid(holderId, claims, ttl) is { } invalid)
        {
            return invalid;
        }

        var canonical = ClaimRequests.Canonicalise(claims);
        holderId = _scope.In(holderId);
        return _scope.Out(Run((HolderId: holderId, Claims: canonical, Ttl: ttl), static (state, now, request) =>
        {
            var (holderId, canonical, ttl) = request;
            LeaseExpiry.Sweep(state, now);
            if (state.PendingByHolder.TryGetValue(holderId, out var pending))
            {
                return new RuntimeError(RuntimeErrorCode.AlreadyWaiting,
                    $"Agent '{holderId}' already waits for request {pending.Seq}; wait for it to be granted before claiming more.");
            }

            if (ClaimConflicts.ForNewRequest(state, canonical, holderId))
            {
                return new RuntimeError(RuntimeErrorCode.WouldWait,
                    $"Agent '{holderId}' cannot be granted {string.Join(", ", canonical)} at once: another agent holds or waits for a conflicting claim. Request it to wait in line.");
            }

            return Outcome<WorkUnitLease, RuntimeError>.Success(state.Grant(holderId, canonical, ttl, ++state.NextRequestId, waited: false, now).Snapshot);
        }));
    }

    /// <summary>Extends a live lease by its TTL (the heartbeat).</summary>
    /// <param name="leaseId">The lease.</param>
    /// <param name="holderId">Its holder.</param>
    /// <returns>The renewed lease, or <see cref="RuntimeErrorCode.LeaseNotFound"/> when it expired, was released or belongs to another holder.</returns>
    public Outcome<WorkUnitLease, RuntimeError> Renew(long leaseId, string holderId) => _scope.Out(Run((LeaseId: leaseId, HolderId: holderId, Scoped: _scope.In(holderId)), static (state, now, lease) =>
    {
        LeaseExpiry.Sweep(state, now);
        if (!TryGetLease(state, lease.LeaseId, lease.Scoped, out var entry))
        {
            return LeaseNotFound(lease.LeaseId, lease.HolderId);
        }

        state.Renew(entry, now);
        return entry.Snapshot;
    }));

    /// <summary>Gives a lease back; waiters it blocked are granted in FIFO order.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <param name="holderId">Its holder.</param>
    /// <returns>The released lease, or <see cref="RuntimeErrorCode.LeaseNotFound"/>.</returns>
    public Outcome<WorkUnitLease, RuntimeError> Release(long leaseId, string holderId) => _scope.Out(Run((LeaseId: leaseId, HolderId: holderId, Scoped: _scope.In(holderId)), static (state, now, lease) =>
    {
        LeaseExpiry.Sweep(state, now);
        if (!TryGetLease(state, lease.LeaseId, lease.Scoped, out var entry))
        {
            return LeaseNotFound(lease.LeaseId, lease.HolderId);
        }

        state.RemoveLease(entry, LeaseEndReason.Released, now);
        WaiterGrants.GrantWaiters(state, entry.Claims, now);
        return entry.Snapshot;
    }));

    /// <summary>Cancels the holder's waiting request and releases all its leases (used when an agent ends).</summary>
    /// <param name="holderId">The holder.</param>
    /// <returns>How many leases were released.</returns>
    public int ReleaseAll(string holderId) => ReleaseAllInScope(_scope.In(holderId));

    private int ReleaseAllInScope(string holderId) => Run((state, now) =>
    {
        LeaseExpiry.Sweep(state, now);
        var released = new List<Claim>();
        if (state.PendingByHolder.TryGetValue(holderId, out var pending))
        {
            var described = state.Describe(pending);
            state.Dequeue(pending);
            released.AddRange(pending.Claims);
            _observer?.OnWaitCancelled(described, now);
            state.Settlements.Add((pending.Seq, new RuntimeError(RuntimeErrorCode.ClaimCancelled,
                $"Request {pending.Seq} of '{holderId}' was cancelled because the agent ended.")));
        }

        var mine = state.Leases.Values.Where(l => string.Equals(l.Holder, holderId, StringComparison.Ordinal)).OrderBy(l => l.Id).ToList();
        foreach (var lease in mine)
        {
            state.RemoveLease(lease, LeaseEndReason.HolderEnded, now);
            released.AddRange(lease.Claims);
        }

        WaiterGrants.GrantWaiters(state, released, now);
        return mine.Count;
    });

    /// <summary>Expires every lease whose TTL has passed and grants the waiters they blocked.</summary>
    /// <returns>How many leases expired.</returns>
    public int ExpireDue() => Run(static (state, now) => LeaseExpiry.Sweep(state, now));

    /// <summary>The earliest expiry among live leases, or null when none are held.</summary>
    public DateTimeOffset? NextExpiry => Run(static (state, _) => state.Leases.Count == 0 ? (DateTimeOffset?)null : state.Leases.Values.Min(l => l.ExpiresAt));

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
    public Outcome<WorkUnitLease, RuntimeError> ValidateFencing(string holderId, WorkUnit unit, ClaimMode mode, long fencingToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return _scope.Out(Run((HolderId: _scope.In(holderId), Unit: unit, Mode: mode, Token: fencingToken),
            static (state, now, check) => Fencing.Validate(state, check.HolderId, check.Unit, check.Mode, check.Token, now)));
    }

    /// <summary>Finds a live lease of the holder covering the unit in at least the mode (used for reads, which need no token).</summary>
    /// <param name="holderId">The agent.</param>
    /// <param name="unit">The unit.</param>
    /// <param name="mode">The access needed.</param>
    /// <returns>The lease or <see cref="RuntimeErrorCode.NotClaimed"/>.</returns>
    public Outcome<WorkUnitLease, RuntimeError> FindCoveringLease(string holderId, WorkUnit unit, ClaimMode mode)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return _scope.Out(Run((HolderId: _scope.In(holderId), Unit: unit, Mode: mode),
            static (state, now, check) => Fencing.FindCoveringLease(state, check.HolderId, check.Unit, check.Mode, now)));
    }

    /// <summary>A snapshot of the live leases, by lease id.</summary>
    /// <returns>The leases.</returns>
    public IReadOnlyList<WorkUnitLease> GetLeases() =>
        Run((state, _) => (IReadOnlyList<WorkUnitLease>)[.. state.Leases.Values.OrderBy(l => l.Id).Select(l => _scope.Out(l.Snapshot))]);

    /// <summary>A snapshot of the waiting requests in FIFO order.</summary>
    /// <returns>The waiters.</returns>
    public IReadOnlyList<WaitingClaim> GetWaiters() => Run((state, _) =>
    {
        var result = new List<WaitingClaim>(state.Waiters.Count);
        var position = 0;
        foreach (var entry in state.Waiters)
        {
            result.Add(_scope.Out(new WaitingClaim(entry.Seq, entry.Holder, entry.Claims, position++, entry.EnqueuedAt)));
        }

        return (IReadOnlyList<WaitingClaim>)result;
    });

    private static bool TryGetLease(LockState state, long leaseId, string holderId, out LeaseEntry entry) =>
        state.Leases.TryGetValue(leaseId, out entry!) && string.Equals(entry.Holder, holderId, StringComparison.Ordinal);

    private static Outcome<WorkUnitLease, RuntimeError> LeaseNotFound(long leaseId, string holderId) =>
        new RuntimeError(RuntimeErrorCode.LeaseNotFound,
            $"Lease {leaseId} of '{holderId}' is not live: it expired, was released, or belongs to another agent. Claim the units again.");

    private T Run<T>(Func<LockState, DateTimeOffset, T> operation) =>
        Run(operation, static (state, now, operation) => operation(state, now));

    // One operation in one store transaction; requests it granted or cancelled are settled after it is kept.
    // The argument travels with the operation so the hot paths allocate no closures.
    private T Run<TArg, T>(TArg argument, Func<LockState, DateTimeOffset, TArg, T> operation)
    {
        var (result, settled) = _store.Transact((Table: this, Argument: argument, Operation: operation), static (state, reread, call) =>
        {
            var table = call.Table;
            state.Observer = table._observer;
            state.Settlements.Clear();
            var now = table._time.GetUtcNow();
            if (table._store.IsShared)
            {
                table.KeepOwnRequestsAlive(state, reread, now);
            }

            var value = call.Operation(state, now, call.Argument);
            List<(long RequestId, Outcome<WorkUnitLease, RuntimeError> Result)>? settled = null;
            if (state.Settlements.Count > 0)
            {
                settled = [.. state.Settlements];
                state.Settlements.Clear();
            }

            return (value, settled);
        });

        if (settled is not null)
        {
            Settle(settled);
        }

        return result;
    }

    // Refreshes this table's waiting requests, and finds those another process granted or dropped since the state was last read.
    private void KeepOwnRequestsAlive(LockState state, bool reread, DateTimeOffset now)
    {
        long[] mine;
        lock (_ticketsGate)
        {
            if (_tickets.Count == 0)
            {
                return;
            }

            mine = [.. _tickets.Keys];
        }

        foreach (var requestId in mine)
        {
            var waiting = state.Waiters.FirstOrDefault(w => w.Seq == requestId);
            if (waiting is not null)
            {
                state.KeepAlive(waiting, now);
                continue;
            }

            if (!reread)
            {
                continue;
            }

            var granted = state.Leases.Values.FirstOrDefault(l => l.RequestId == requestId);
            if (granted is not null)
            {
                _observer?.OnGranted(granted.Snapshot, requestId, waited: true, now);
                state.Settlements.Add((requestId, granted.Snapshot));
            }
            else
            {
                state.Settlements.Add((requestId, new RuntimeError(RuntimeErrorCode.ClaimCancelled,
                    $"Request {requestId} is no longer waiting and holds no lease: it was granted and the lease already ended, or it was dropped. Claim again.")));
            }
        }
    }

    private void Settle(List<(long RequestId, Outcome<WorkUnitLease, RuntimeError> Result)> settled)
    {
        foreach (var (requestId, result) in settled)
        {
            TaskCompletionSource<Outcome<WorkUnitLease, RuntimeError>>? completion;
            lock (_ticketsGate)
            {
                _tickets.Remove(requestId, out completion);
            }

            completion?.TrySetResult(_scope.Out(result));
        }
    }

    private void StartPolling()
    {
        lock (_ticketsGate)
        {
            // Real time on purpose: polling notices other processes, whatever clock the leases run on.
            _poll ??= TimeProvider.System.CreateTimer(_ => Poll(), null, _store.PollInterval, _store.PollInterval);
        }
    }

#pragma warning disable CA1031 // A failed poll (the database busy past its timeout) is retried at the next tick.
    private void Poll()
    {
        lock (_ticketsGate)
        {
            // Nothing waits: stop until the next request has to wait, so an idle table holds no timer.
            if (_tickets.Count == 0)
            {
                _poll?.Dispose();
                _poll = null;
                return;
            }
        }

        // Ticks do not wait for each other: on a loaded machine a slow poll would otherwise be joined by one more every
        // interval, until the store's connections run out and every poll fails. One poll at a time; a busy tick is skipped.
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }

        try
        {
            Run(static (state, now) => LeaseExpiry.Sweep(state, now));
        }
        catch (Exception)
        {
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }
#pragma warning restore CA1031
}
