using SchedCP.Agents.Runtime.Claims.State;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// Hands released units to the waiters they blocked: every waiter on a released unit, its ancestors or (for a
/// directory) below it is a candidate, and candidates are granted in request order when nothing conflicts.
/// </summary>
internal static class WaiterGrants
{
    /// <summary>Grants, in FIFO order, every waiter that <paramref name="released"/> may have unblocked.</summary>
    public static void GrantWaiters(LockState state, IReadOnlyCollection<Claim> released, DateTimeOffset now)
    {
        if (state.Waiters.Count == 0 || released.Count == 0)
        {
            return;
        }

        var pass = ++state.GatherPass;
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
            Gather(state.Queues.GetValueOrDefault(claim.Unit.Key));
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                Gather(state.Queues.GetValueOrDefault(ancestor));
            }

            if (claim.Unit.Kind == WorkUnitKind.Directory && state.WaitBelow.GetValueOrDefault(claim.Unit.Key) > 0)
            {
                foreach (var waiter in state.Waiters)
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
            if (candidate.Done || !ClaimConflicts.Grantable(state, candidate))
            {
                continue;
            }

            state.Dequeue(candidate);
            var lease = state.Grant(candidate.Holder, candidate.Claims, candidate.Ttl, candidate.Seq, waited: true, now);
            state.Settlements.Add((candidate.Seq, lease.Snapshot));
        }
    }
}
