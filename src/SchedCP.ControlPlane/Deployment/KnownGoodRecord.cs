using SchedCP.Verifier.Canary;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>The last scheduler that passed its canary: the rollback target.</summary>
/// <param name="Scheduler">The scheduler as it ran.</param>
/// <param name="TokenId">The token it was deployed with (<c>unsafe-no-token</c> for a lab deployment).</param>
/// <param name="PromotedAt">When it passed its canary.</param>
/// <param name="Where"><c>host</c> or <c>sandbox</c>.</param>
public sealed record KnownGoodRecord(DeployableScheduler Scheduler, string TokenId, DateTimeOffset PromotedAt, string Where);

/// <summary>Where the last known-good scheduler is recorded, durably across processes.</summary>
public interface IKnownGoodStore
{
    /// <summary>The last known-good scheduler, or null when none passed a canary (rollback then goes to EEVDF).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<KnownGoodRecord?> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a scheduler that passed its canary; it becomes the last known-good, the previous one stays behind it.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask WriteAsync(KnownGoodRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Retires the last known-good scheduler (an operator rolled it back) and returns the one promoted before it, or
    /// null when there is none.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask<KnownGoodRecord?> RetireAsync(CancellationToken cancellationToken = default);
}
