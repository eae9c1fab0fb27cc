using SchedCP.Agents.Runtime.Claims.State;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// Whether a claim conflicts with live leases or with earlier waiting requests of other holders. A request is
/// granted only when it conflicts with neither, so waiters are served in FIFO order and nobody barges.
/// Directory claims cover their subtree: a claim conflicts with claims on its ancestors and descendants too.
/// </summary>
internal static class ClaimConflicts
{
    public static bool ModesConflict(ClaimMode a, ClaimMode b) => a == ClaimMode.Exclusive || b == ClaimMode.Exclusive;

    public static bool ForNewRequest(LockState state, Claim[] claims, string holder)
    {
        foreach (var claim in claims)
        {
            if (Held(state, claim, holder, null) || Waiting(state, null, claim, holder, null))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Grantable(LockState state, WaitEntry entry)
    {
        foreach (var claim in entry.Claims)
        {
            if (Held(state, claim, entry.Holder, null) || Waiting(state, entry, claim, entry.Holder, null))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Held(LockState state, Claim claim, string holder, HashSet<string>? blockers)
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

        if (state.Held.TryGetValue(claim.Unit.Key, out var exact))
        {
            foreach (var slot in exact)
            {
                if (Check(slot, ancestor: false))
                {
                    return true;
                }
            }
        }

        if (claim.Unit.Kind != WorkUnitKind.Process && state.Held.Count > 0)
        {
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                if (state.Held.TryGetValue(ancestor, out var slots))
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

        if (claim.Unit.Kind == WorkUnitKind.Directory && state.HeldBelow.TryGetValue(claim.Unit.Key, out var below) && below > 0)
        {
            foreach (var lease in state.Leases.Values)
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

    public static bool Waiting(LockState state, WaitEntry? self, Claim claim, string holder, HashSet<string>? blockers)
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

        if (state.Queues.TryGetValue(claim.Unit.Key, out var queue))
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

        if (claim.Unit.Kind != WorkUnitKind.Process && state.Queues.Count > 0)
        {
            foreach (var ancestor in claim.Unit.AncestorKeys)
            {
                if (state.Queues.TryGetValue(ancestor, out var ancestorQueue))
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

        if (claim.Unit.Kind == WorkUnitKind.Directory && state.WaitBelow.TryGetValue(claim.Unit.Key, out var below) && below > 0)
        {
            foreach (var other in state.Waiters)
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

    public static HashSet<string> BlockersOf(LockState state, WaitEntry? self, Claim[] claims, string holder)
    {
        var blockers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            Held(state, claim, holder, blockers);
            Waiting(state, self, claim, holder, blockers);
        }

        return blockers;
    }
}
