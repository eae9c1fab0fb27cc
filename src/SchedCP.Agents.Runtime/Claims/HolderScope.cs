using SchedCP.Agents.Runtime.Leases;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// Keeps one table's holders apart from other tables' holders of the same name in a shared store: inside the
/// store a holder is "scope/id", callers and observers of this table see "id". Without a scope names pass as they are.
/// </summary>
internal sealed class HolderScope(string? scope)
{
    private readonly string? _prefix = string.IsNullOrEmpty(scope) ? null : scope + "/";

    public string In(string holderId) => _prefix is null ? holderId : _prefix + holderId;

    public WorkUnitLease Out(WorkUnitLease lease) => Strip(lease.HolderId) is { } own ? lease with { HolderId = own } : lease;

    public WaitingClaim Out(WaitingClaim waiting) => Strip(waiting.HolderId) is { } own ? waiting with { HolderId = own } : waiting;

    public Outcome<WorkUnitLease, RuntimeError> Out(Outcome<WorkUnitLease, RuntimeError> outcome) =>
        _prefix is not null && outcome.Succeeded ? Out(outcome.Value) : outcome;

    public IClaimObserver? Out(IClaimObserver? observer) => _prefix is null || observer is null ? observer : new ScopedObserver(observer, this);

    private string? Strip(string holderId) =>
        _prefix is not null && holderId.StartsWith(_prefix, StringComparison.Ordinal) ? holderId[_prefix.Length..] : null;

    private sealed class ScopedObserver(IClaimObserver inner, HolderScope scope) : IClaimObserver
    {
        public void OnQueued(WaitingClaim waiting, DateTimeOffset now) => inner.OnQueued(scope.Out(waiting), now);

        public void OnGranted(WorkUnitLease lease, long requestId, bool waited, DateTimeOffset now) => inner.OnGranted(scope.Out(lease), requestId, waited, now);

        public void OnRenewed(WorkUnitLease lease, DateTimeOffset now) => inner.OnRenewed(scope.Out(lease), now);

        public void OnEnded(WorkUnitLease lease, LeaseEndReason reason, DateTimeOffset now) => inner.OnEnded(scope.Out(lease), reason, now);

        public void OnWaitCancelled(WaitingClaim waiting, DateTimeOffset now) => inner.OnWaitCancelled(scope.Out(waiting), now);
    }
}
