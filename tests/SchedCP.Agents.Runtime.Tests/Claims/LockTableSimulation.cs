using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Claims.Storage;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Tests.Claims;

/// <summary>
/// Drives a lock table through a sequence of decoded operations (claims, releases, heartbeats, writes,
/// pauses that let leases expire) and checks after every step that mutual exclusion, FIFO and fencing hold.
/// </summary>
internal sealed class LockTableSimulation : IClaimObserver
{
    private static readonly WorkUnit[] Units =
    [
        WorkUnit.Directory("src"), WorkUnit.File("src/a.cs"), WorkUnit.File("src/b.cs"),
        WorkUnit.Directory("src/lib"), WorkUnit.File("src/lib/c.cs"), WorkUnit.File("README.md"),
        WorkUnit.Directory(""), ProcessResources.Test, ProcessResources.Build,
    ];

    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly WorkUnitLockTable _table;
    private readonly Dictionary<long, WaitingClaim> _waiting = [];
    private readonly Dictionary<string, List<WorkUnitLease>> _believed = [];
    private readonly Dictionary<string, (long Token, string Holder)> _lastWrittenToken = [];
    private readonly Dictionary<string, Task<Outcome<WorkUnitLease, RuntimeError>>> _pendingGrants = [];
    private readonly int _agents;

    public LockTableSimulation(int agents, WorkUnitLockStore? store = null)
    {
        _agents = agents;
        _table = store is null ? new WorkUnitLockTable(_time, this) : new WorkUnitLockTable(_time, store, this);
        for (var i = 0; i < agents; i++)
        {
            _believed[Agent(i)] = [];
        }
    }

    public SimulationCounts Counts { get; } = new();

    /// <summary>Runs the operations; returns null when every invariant held, else what broke.</summary>
    public string? Run(IReadOnlyList<int> ops)
    {
        for (var i = 0; i + 2 < ops.Count; i += 3)
        {
            var failure = Step(Math.Abs(ops[i] % 100), Math.Abs(ops[i + 1]), Math.Abs(ops[i + 2]));
            failure ??= CheckMutualExclusion();
            if (failure is not null)
            {
                return failure;
            }

            Counts.Operations++;
        }

        return Drain();
    }

    private static string Agent(int i) => "agent-" + i;

    private string? Step(int kind, int a, int b)
    {
        var agent = Agent(a % _agents);
        CollectGrants();
        switch (kind)
        {
            case < 40:
                {
                    if (_pendingGrants.ContainsKey(agent))
                    {
                        return null;
                    }

                    var claims = new List<Claim> { new(Units[b % Units.Length], (b / 16) % 2 == 0 ? ClaimMode.Exclusive : ClaimMode.Shared) };
                    if ((b / 7) % 3 == 0)
                    {
                        claims.Add(new Claim(Units[(b / 3) % Units.Length], ClaimMode.Exclusive));
                    }

                    var result = _table.Request(agent, claims, Ttl);
                    if (!result.Succeeded)
                    {
                        if (result.Failure.Kind == RuntimeErrorCode.DeadlockDetected)
                        {
                            Counts.DeadlocksRefused++;
                            return null;
                        }

                        return $"claim refused unexpectedly: {result.Failure}";
                    }

                    if (result.Value.Waited)
                    {
                        Counts.Waits++;
                        _pendingGrants[agent] = result.Value.Grant;
                    }
                    else
                    {
                        _believed[agent].Add(result.Value.Grant.Result.Value!);
                    }

                    return null;
                }

            case < 55:
                {
                    var mine = _believed[agent];
                    if (mine.Count == 0)
                    {
                        return null;
                    }

                    var lease = mine[b % mine.Count];
                    mine.Remove(lease);
                    _table.Release(lease.LeaseId, agent);
                    return null;
                }

            case < 62:
                {
                    // Heartbeat: renew what the agent believes it holds.
                    foreach (var lease in _believed[agent].ToList())
                    {
                        _table.Renew(lease.LeaseId, agent);
                    }

                    return null;
                }

            case < 72:
                {
                    // A pause: time passes with no heartbeat, so leases may expire.
                    _time.Advance(TimeSpan.FromSeconds(1 + (b % 12)));
                    Counts.Pauses++;
                    if (b % 2 == 0)
                    {
                        Counts.Expiries += _table.ExpireDue();
                    }

                    return null;
                }

            default:
                return Write(agent, b);
        }
    }

    private string? Write(string agent, int b)
    {
        // The agent writes to a file under a lease it believes it holds, which may be stale.
        var mine = _believed[agent];
        if (mine.Count == 0)
        {
            return null;
        }

        var lease = mine[b % mine.Count];
        var exclusive = lease.Claims.Where(c => c.Mode == ClaimMode.Exclusive).ToList();
        if (exclusive.Count == 0)
        {
            return null;
        }

        var target = exclusive[b % exclusive.Count].Unit;
        var check = _table.ValidateFencing(agent, target, ClaimMode.Exclusive, lease.FencingToken);
        var now = _time.GetUtcNow();
        var live = _table.GetLeases();
        var stillLive = live.Any(l => l.LeaseId == lease.LeaseId && l.ExpiresAt > now);
        if (!check.Succeeded)
        {
            if (stillLive)
            {
                return $"live lease {lease} was refused: {check.Failure}";
            }

            Counts.StaleWritesRefused++;
            return null;
        }

        if (!stillLive)
        {
            return $"stale writer {agent} with token {lease.FencingToken} got through on {target}";
        }

        foreach (var other in live.Where(l => l.HolderId != agent && l.ExpiresAt > now))
        {
            if (other.Claims.Any(c => c.Unit.Overlaps(target)))
            {
                return $"write by {agent} on {target} while {other} is live";
            }
        }

        // One agent may hold several live leases on a unit; across agents tokens must only go up.
        if (_lastWrittenToken.TryGetValue(target.Key, out var last) && last.Token > lease.FencingToken && last.Holder != agent)
        {
            return $"token went backwards on {target}: {lease.FencingToken} of {agent} after {last.Token} of {last.Holder}";
        }

        _lastWrittenToken[target.Key] = (lease.FencingToken, agent);
        Counts.WritesAccepted++;
        return null;
    }

    private void CollectGrants()
    {
        foreach (var (agent, grant) in _pendingGrants.ToList())
        {
            if (grant.IsCompleted)
            {
                _pendingGrants.Remove(agent);
                if (grant.Result.Succeeded)
                {
                    _believed[agent].Add(grant.Result.Value!);
                }
            }
        }
    }

    private string? CheckMutualExclusion()
    {
        var now = _time.GetUtcNow();
        var live = _table.GetLeases().Where(l => l.ExpiresAt > now).ToList();
        for (var i = 0; i < live.Count; i++)
        {
            for (var j = i + 1; j < live.Count; j++)
            {
                if (live[i].HolderId == live[j].HolderId)
                {
                    continue;
                }

                foreach (var x in live[i].Claims)
                {
                    foreach (var y in live[j].Claims)
                    {
                        if (x.ConflictsWith(y))
                        {
                            return $"mutual exclusion violated: {live[i]} and {live[j]}";
                        }
                    }
                }
            }
        }

        Counts.ExclusionChecks++;
        return null;
    }

    private string? Drain()
    {
        // Everybody finishes: every waiter must end up granted (no lost wake-ups, no starvation).
        for (var round = 0; round < _agents * 4 && (_pendingGrants.Count > 0 || _waiting.Count > 0); round++)
        {
            CollectGrants();
            foreach (var agent in _believed.Keys)
            {
                if (!_pendingGrants.ContainsKey(agent))
                {
                    _table.ReleaseAll(agent);
                    _believed[agent].Clear();
                }
            }

            CollectGrants();
        }

        _time.Advance(Ttl * 2);
        _table.ExpireDue();
        CollectGrants();
        return _waiting.Count == 0 && _pendingGrants.Count == 0
            ? null
            : $"waiters never granted: {string.Join("; ", _waiting.Values)}";
    }

    public void OnQueued(WaitingClaim waiting, DateTimeOffset now) => _waiting.Add(waiting.RequestId, waiting);

    public void OnGranted(WorkUnitLease lease, long requestId, bool waited, DateTimeOffset now)
    {
        _waiting.Remove(requestId);
        Counts.Grants++;
        foreach (var earlier in _waiting.Values.Where(w => w.RequestId < requestId && w.HolderId != lease.HolderId))
        {
            if (earlier.Claims.Any(x => lease.Claims.Any(x.ConflictsWith)))
            {
                Counts.FifoViolations.Add($"request {requestId} of {lease.HolderId} barged past earlier waiting request {earlier.RequestId} of {earlier.HolderId}");
            }
        }
    }

    public void OnRenewed(WorkUnitLease lease, DateTimeOffset now)
    {
    }

    public void OnEnded(WorkUnitLease lease, LeaseEndReason reason, DateTimeOffset now)
    {
        if (reason == LeaseEndReason.Expired)
        {
            Counts.LeasesExpired++;
        }
    }

    public void OnWaitCancelled(WaitingClaim waiting, DateTimeOffset now) => _waiting.Remove(waiting.RequestId);
}

internal sealed class SimulationCounts
{
    public long Operations { get; set; }
    public long Grants { get; set; }
    public long Waits { get; set; }
    public long Pauses { get; set; }
    public long Expiries { get; set; }
    public long LeasesExpired { get; set; }
    public long StaleWritesRefused { get; set; }
    public long WritesAccepted { get; set; }
    public long DeadlocksRefused { get; set; }
    public long ExclusionChecks { get; set; }
    public List<string> FifoViolations { get; } = [];

    public void Add(SimulationCounts other)
    {
        Operations += other.Operations;
        Grants += other.Grants;
        Waits += other.Waits;
        Pauses += other.Pauses;
        Expiries += other.Expiries;
        LeasesExpired += other.LeasesExpired;
        StaleWritesRefused += other.StaleWritesRefused;
        WritesAccepted += other.WritesAccepted;
        DeadlocksRefused += other.DeadlocksRefused;
        ExclusionChecks += other.ExclusionChecks;
        FifoViolations.AddRange(other.FifoViolations);
    }

    public override string ToString() =>
        $"operations={Operations} grants={Grants} waits={Waits} pauses={Pauses} leasesExpired={LeasesExpired} " +
        $"writesAccepted={WritesAccepted} staleWritesRefused={StaleWritesRefused} deadlocksRefused={DeadlocksRefused} exclusionChecks={ExclusionChecks}";
}
