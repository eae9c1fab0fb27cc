using SchedCP.Agents.Runtime.Claims.State;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// Ends leases whose TTL has passed (and, in a store shared by processes, waiting requests whose process stopped
/// refreshing them), then grants the waiters they blocked. Every table operation sweeps first.
/// </summary>
internal static class LeaseExpiry
{
    /// <summary>Sweeps at <paramref name="now"/>; returns how many leases expired.</summary>
    public static int Sweep(LockState state, DateTimeOffset now)
    {
        if (now < state.ExpiryHint)
        {
            return 0;
        }

        List<LeaseEntry>? expired = null;
        var hint = DateTimeOffset.MaxValue;
        foreach (var lease in state.Leases.Values)
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

        List<WaitEntry>? abandoned = null;
        if (state.WaitersNeedLiveness)
        {
            foreach (var waiter in state.Waiters)
            {
                if (waiter.AliveUntil is not { } alive)
                {
                    continue;
                }

                if (alive <= now)
                {
                    (abandoned ??= []).Add(waiter);
                }
                else if (alive < hint)
                {
                    hint = alive;
                }
            }
        }

        state.ExpiryHint = hint;
        if (expired is null && abandoned is null)
        {
            return 0;
        }

        var released = new List<Claim>();
        if (expired is not null)
        {
            expired.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            foreach (var lease in expired)
            {
                state.RemoveLease(lease, LeaseEndReason.Expired, now);
                released.AddRange(lease.Claims);
            }
        }

        foreach (var waiter in abandoned ?? [])
        {
            var described = state.Describe(waiter);
            state.Dequeue(waiter);
            released.AddRange(waiter.Claims);
            state.Observer?.OnWaitCancelled(described, now);
            state.Settlements.Add((waiter.Seq, new RuntimeError(RuntimeErrorCode.ClaimCancelled,
                $"Request {waiter.Seq} of '{waiter.Holder}' was dropped at {now:O}: its process stopped refreshing it, so it no longer blocks the line. Claim again.")));
        }

        WaiterGrants.GrantWaiters(state, released, now);
        return expired?.Count ?? 0;
    }
}
