using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Leases;

/// <summary>
/// A granted claim set: the holder may use the claimed units until <see cref="ExpiresAt"/> unless it
/// renews the lease by heartbeat. Every mutating tool call presents <see cref="FencingToken"/>; the
/// tool host refuses a token that is not the current token of a live lease covering the target.
/// </summary>
/// <param name="LeaseId">Identifies the lease for renewal and release.</param>
/// <param name="HolderId">The agent that holds it.</param>
/// <param name="Claims">The claims granted, in canonical (acquisition) order.</param>
/// <param name="FencingToken">Strictly greater than every token granted before it, for every unit.</param>
/// <param name="GrantedAt">When the lease was granted.</param>
/// <param name="ExpiresAt">When it expires unless renewed.</param>
/// <param name="Ttl">The time to live each renewal extends by.</param>
public sealed record WorkUnitLease(
    long LeaseId,
    string HolderId,
    IReadOnlyList<Claim> Claims,
    long FencingToken,
    DateTimeOffset GrantedAt,
    DateTimeOffset ExpiresAt,
    TimeSpan Ttl)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"lease {LeaseId} of {HolderId} [{string.Join(", ", Claims)}] token {FencingToken} until {ExpiresAt:O}";
}
