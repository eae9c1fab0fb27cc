using BenchmarkDotNet.Attributes;
using SchedCP.Core.Results;
using SchedCP.Repository;

namespace SchedCP.Repository.Benchmarks;

/// <summary>Cost of recording runs (one committed transaction each, synchronous=FULL) and of ranking a workload's history.</summary>
[MemoryDiagnoser]
public class HistoryBenchmarks
{
    private SyntheticRepository _repository = null!;
    private WorkloadProfile _profile = null!;
    private IReadOnlyList<RunRecord> _history = null!;
    private int _next;

    [Params(1, 10)]
    public int RunsPerBatch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _repository = SyntheticRepository.CreateAsync(100).GetAwaiter().GetResult();
        var repo = _repository.Repository;
        _profile = repo.RecordProfileAsync("kernel build", new Dictionary<string, string> { ["kind"] = "build" }).GetAwaiter().GetResult();
        var runs = new List<RunRecord>();
        var policies = new[] { "scx_rusty", "scx_layered", "scx_bpfland", "scx_lavd", "scx_p2dq" };
        for (var session = 0; session < 200; session++)
        {
            runs.Add(Run(RunRecord.BaselinePolicyName, $"s{session}", true, 100));
            foreach (var p in policies)
            {
                runs.Add(Run(p, $"s{session}", false, 50 + p.Length + (session % 7)));
            }
        }

        _repository.Store.AddRunsAsync(runs).GetAwaiter().GetResult();
        _history = _repository.Store.GetRunsAsync(_profile.Fingerprint).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _repository.Dispose();

    [Benchmark]
    public Task<Outcome<int, RepositoryError>> RecordRuns()
    {
        var batch = Enumerable.Range(0, RunsPerBatch).Select(_ => Run("scx_rusty", "bench", false, 60)).ToList();
        return _repository.Repository.RecordRunsAsync(batch);
    }

    [Benchmark]
    public IReadOnlyList<PolicyRanking> RankInMemory1200Runs() => HistoryRanker.Rank(_history, RankingMetric.Makespan);

    [Benchmark]
    public Task<Outcome<IReadOnlyList<PolicyRanking>, RepositoryError>> RankFromStore1200Runs() => _repository.Repository.RankAsync(_profile.Fingerprint, RankingMetric.Makespan);

    private RunRecord Run(string policy, string session, bool baseline, double makespan) =>
        new($"run-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}", _profile.Fingerprint, policy, new Dictionary<string, string>(), session, 0, baseline, new RunMetrics(MakespanSeconds: makespan), DateTimeOffset.UnixEpoch);
}
