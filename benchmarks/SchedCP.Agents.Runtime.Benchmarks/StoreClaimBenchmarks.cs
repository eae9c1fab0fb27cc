using BenchmarkDotNet.Attributes;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Claims.Storage;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Benchmarks;

/// <summary>
/// Claim throughput by store: the same uncontended claim + release pair in memory and through a SQLite file (two
/// BEGIN IMMEDIATE transactions per pair, each synced to disk before it returns).
/// </summary>
[MemoryDiagnoser]
public class StoreClaimBenchmarks
{
    private const int Pairs = 50;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly Claim[] _claim = [Claim.Exclusive(WorkUnit.File("src/app/main.cs"))];
    private WorkUnitLockStore _store = null!;
    private WorkUnitLockTable _table = null!;
    private string? _folder;

    /// <summary>memory or sqlite.</summary>
    [Params("memory", "sqlite")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        if (Store == "sqlite")
        {
            _folder = Path.Combine(Path.GetTempPath(), "schedcp-bench-" + Guid.NewGuid().ToString("N"));
            _store = WorkUnitLockStore.Sqlite(Path.Combine(_folder, "locks.db"));
        }
        else
        {
            _store = WorkUnitLockStore.InMemory();
        }

        _table = new WorkUnitLockTable(TimeProvider.System, _store);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = Pairs)]
    public long Try_claim_and_release()
    {
        long token = 0;
        for (var i = 0; i < Pairs; i++)
        {
            var lease = _table.TryClaim("agent", _claim, Ttl).Value!;
            token = lease.FencingToken;
            _table.Release(lease.LeaseId, "agent");
        }

        return token;
    }
}
