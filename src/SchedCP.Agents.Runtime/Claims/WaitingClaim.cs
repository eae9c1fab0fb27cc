using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>A claim set waiting in the FIFO queue, as shown to operators.</summary>
/// <param name="RequestId">The request's place in arrival order; smaller ids were asked for first.</param>
/// <param name="HolderId">The agent waiting.</param>
/// <param name="Claims">The claims it waits for, in canonical order.</param>
/// <param name="Position">0-based position among all waiting requests.</param>
/// <param name="EnqueuedAt">When it started waiting.</param>
public sealed record WaitingClaim(long RequestId, string HolderId, IReadOnlyList<Claim> Claims, int Position, DateTimeOffset EnqueuedAt);
