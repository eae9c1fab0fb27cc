using BenchmarkDotNet.Attributes;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Benchmarks;

[MemoryDiagnoser]
public class ClaimBenchmarks
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly Claim[] _claim = [Claim.Exclusive(WorkUnit.File("src/app/main.cs"))];
    private WorkUnitLockTable _table = null!;

    [GlobalSetup]
    public void Setup() => _table = new WorkUnitLockTable(TimeProvider.System);

    /// <summary>Uncontended claim plus release, in-process: the goal is at least 1,000,000 per second.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public long Uncontended_claim_and_release()
    {
        long token = 0;
        for (var i = 0; i < 1000; i++)
        {
            var lease = _table.Request("agent", _claim, Ttl).Value!.Grant.Result.Value!;
            token = lease.FencingToken;
            _table.Release(lease.LeaseId, "agent");
        }

        return token;
    }

    /// <summary>The same pair through the synchronous fast path (<see cref="WorkUnitLockTable.TryClaim"/>): no ticket, no task.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public long Uncontended_try_claim_and_release()
    {
        long token = 0;
        for (var i = 0; i < 1000; i++)
        {
            var lease = _table.TryClaim("agent", _claim, Ttl).Value!;
            token = lease.FencingToken;
            _table.Release(lease.LeaseId, "agent");
        }

        return token;
    }
}
