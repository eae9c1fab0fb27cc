using BenchmarkDotNet.Attributes;
using SchedCP.Repository;

namespace SchedCP.Repository.Benchmarks;

/// <summary>Hybrid search (BM25 only: no embedding generator) over 10,000 stored policies, index warm.</summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private SyntheticRepository _repository = null!;

    [Params("low latency gaming under background load", "kernel compilation parallel build makespan", "cgroup container isolation")]
    public string Query { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _repository = SyntheticRepository.CreateAsync(10_000).GetAwaiter().GetResult();
        _repository.Repository.SearchAsync(new PolicySearchQuery("warm")).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _repository.Dispose();

    [Benchmark]
    public Task<IReadOnlyList<PolicySummary>> Search() => _repository.Repository.SearchAsync(new PolicySearchQuery(Query));

    [Benchmark]
    public Task<IReadOnlyList<PolicySummary>> SearchWithHostFilter() =>
        _repository.Repository.SearchAsync(new PolicySearchQuery(Query) { Host = PolicyRequirementsContext.Sandbox });
}
