using BenchmarkDotNet.Attributes;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Benchmarks;

/// <summary>10,000 agents queue for one file; each release hands it to the next. Reports per-claim cost and checks FIFO.</summary>
[MemoryDiagnoser]
public class QueueBenchmarks
{
    private const int Waiters = 10_000;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly Claim[] _claim = [Claim.Exclusive(WorkUnit.File("shared.txt"))];
    private readonly string[] _agents = Enumerable.Range(0, Waiters + 1).Select(i => "agent-" + i).ToArray();

    /// <summary>Enqueue 10,000 conflicting claims behind a holder, then drain them one release at a time.</summary>
    [Benchmark(OperationsPerInvoke = Waiters)]
    public long Enqueue_and_drain_10000_waiting_claims_in_fifo_order()
    {
        var table = new WorkUnitLockTable(TimeProvider.System);
        var holder = table.Request(_agents[0], _claim, Ttl).Value!.Grant.Result.Value!;
        var tickets = new ClaimTicket[Waiters];
        for (var i = 0; i < Waiters; i++)
        {
            tickets[i] = table.Request(_agents[i + 1], _claim, Ttl).Value!;
        }

        WorkUnitLease current = holder;
        for (var i = 0; i < Waiters; i++)
        {
            table.Release(current.LeaseId, current.HolderId);
            var grant = tickets[i].Grant;
            if (!grant.IsCompletedSuccessfully || grant.Result.Value!.HolderId != _agents[i + 1])
            {
                throw new InvalidOperationException($"FIFO broken at waiter {i}");
            }

            current = grant.Result.Value!;
        }

        return current.FencingToken;
    }

    /// <summary>With 10,000 claims waiting, one more claim joins the queue and is dropped again (latency of a wait at depth).</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public long Claim_latency_behind_10000_waiters()
    {
        _deep ??= BuildDeepQueue();
        long id = 0;
        for (var i = 0; i < 100; i++)
        {
            var ticket = _deep.Request("late", _claim, Ttl).Value!;
            id = ticket.RequestId;
            _deep.ReleaseAll("late");
        }

        return id;
    }

    private WorkUnitLockTable? _deep;

    private WorkUnitLockTable BuildDeepQueue()
    {
        var table = new WorkUnitLockTable(TimeProvider.System);
        table.Request(_agents[0], _claim, TimeSpan.FromDays(1));
        for (var i = 1; i <= Waiters; i++)
        {
            table.Request(_agents[i], _claim, TimeSpan.FromDays(1));
        }

        return table;
    }
}
