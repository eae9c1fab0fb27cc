using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>Checks a request's arguments and puts its claims in canonical form (merged, sorted by unit key).</summary>
internal static class ClaimRequests
{
    public static RuntimeError? Invalid(string holderId, IReadOnlyList<Claim> claims, TimeSpan ttl)
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

    public static Claim[] Canonicalise(IReadOnlyList<Claim> claims)
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
}
