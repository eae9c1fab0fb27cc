using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.Observability;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>Turns lock table changes into recorded events and wakes agents whose claims were granted.</summary>
public sealed partial class AgentRuntime
{
    private sealed class ClaimEvents(AgentRuntime runtime) : IClaimObserver
    {
        private readonly Dictionary<long, DateTimeOffset> _queuedAt = [];

        public void OnQueued(WaitingClaim waiting, DateTimeOffset now)
        {
            _queuedAt[waiting.RequestId] = now;
            runtime._recorder.Emit(RuntimeEventKinds.ClaimQueued, waiting.HolderId, string.Join(", ", waiting.Claims),
                output: $"request {waiting.RequestId} position {waiting.Position}", time: now);
        }

        public void OnGranted(WorkUnitLease lease, long requestId, bool waited, DateTimeOffset now)
        {
            runtime._recorder.Emit(RuntimeEventKinds.LeaseGranted, lease.HolderId, string.Join(", ", lease.Claims),
                output: $"lease {lease.LeaseId} token {lease.FencingToken} request {requestId}", time: now);
            if (!waited)
            {
                return;
            }

            if (_queuedAt.Remove(requestId, out var queuedAt))
            {
                RuntimeTelemetry.ClaimWait.Record((now - queuedAt).TotalMilliseconds);
            }

            lock (runtime._gate)
            {
                var run = runtime._runs.FirstOrDefault(r => r.Id == lease.HolderId);
                if (run is null || run.IsFinished)
                {
                    return;
                }

                if (run.PauseRequested)
                {
                    runtime.SetState(run, AgentState.Paused);
                }
                else
                {
                    runtime.SetState(run, AgentState.Ready);
                    runtime._ready.Enqueue(run);
                }
            }

            if (runtime._lockStore is not null)
            {
                // The grant may come from another process while the loop sleeps until the next expiry: wake it.
                runtime._commandSignal.Release();
            }
        }

        public void OnRenewed(WorkUnitLease lease, DateTimeOffset now) =>
            runtime._recorder.Emit(RuntimeEventKinds.LeaseRenewed, lease.HolderId, $"lease {lease.LeaseId}", time: now);

        public void OnEnded(WorkUnitLease lease, LeaseEndReason reason, DateTimeOffset now) =>
            runtime._recorder.Emit(RuntimeEventKinds.LeaseEnded, lease.HolderId, $"lease {lease.LeaseId}", output: reason.ToString(), time: now);

        public void OnWaitCancelled(WaitingClaim waiting, DateTimeOffset now) =>
            runtime._recorder.Emit(RuntimeEventKinds.ClaimCancelled, waiting.HolderId, $"request {waiting.RequestId}", time: now);
    }
}
