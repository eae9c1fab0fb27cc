using SchedCP.Agents.Runtime.Claims.State;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// The check every mutating tool call passes: a fencing token is accepted only while it is the token of a live
/// lease of the caller covering the unit, so a holder whose lease expired mid-write cannot overwrite the next one's work.
/// </summary>
internal static class Fencing
{
    public static Outcome<WorkUnitLease, RuntimeError> Validate(LockState state, string holderId, WorkUnit unit, ClaimMode mode, long fencingToken, DateTimeOffset now)
    {
        LeaseEntry? live = null;
        foreach (var slot in CoveringSlots(state, unit, holderId, mode))
        {
            if (slot.Lease.Token == fencingToken)
            {
                if (slot.Lease.ExpiresAt <= now)
                {
                    return new RuntimeError(RuntimeErrorCode.StaleFencingToken,
                        $"Fencing token {fencingToken} of '{holderId}' for {unit} is stale: lease {slot.Lease.Id} expired at {slot.Lease.ExpiresAt:O}. Claim the unit again and use the new token.");
                }

                return slot.Lease.Snapshot;
            }

            if (slot.Lease.ExpiresAt > now)
            {
                live = slot.Lease;
            }
        }

        if (live is not null)
        {
            return new RuntimeError(RuntimeErrorCode.StaleFencingToken,
                $"Fencing token {fencingToken} of '{holderId}' for {unit} is stale: the current token is {live.Token} (lease {live.Id}). Use the token of the lease you hold.");
        }

        return fencingToken > 0 && fencingToken <= state.NextToken
            ? new RuntimeError(RuntimeErrorCode.StaleFencingToken,
                $"Fencing token {fencingToken} of '{holderId}' for {unit} is stale: no live {mode.ToString().ToLowerInvariant()} lease of this agent covers the unit any more (it expired or was released). Claim it again.")
            : new RuntimeError(RuntimeErrorCode.NotClaimed,
                $"'{holderId}' holds no {mode.ToString().ToLowerInvariant()} lease covering {unit}: claim it before using it.");
    }

    public static Outcome<WorkUnitLease, RuntimeError> FindCoveringLease(LockState state, string holderId, WorkUnit unit, ClaimMode mode, DateTimeOffset now)
    {
        foreach (var slot in CoveringSlots(state, unit, holderId, mode))
        {
            if (slot.Lease.ExpiresAt > now)
            {
                return slot.Lease.Snapshot;
            }
        }

        return new RuntimeError(RuntimeErrorCode.NotClaimed,
            $"'{holderId}' holds no live {mode.ToString().ToLowerInvariant()} lease covering {unit}: claim it before using it.");
    }

    public static List<HeldSlot> CoveringSlots(LockState state, WorkUnit unit, string holderId, ClaimMode mode)
    {
        var result = new List<HeldSlot>(2);
        void Scan(string key, bool ancestor)
        {
            if (!state.Held.TryGetValue(key, out var slots))
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
}
