using Microsoft.Extensions.Options;
using SchedCP.Repository;

namespace SchedCP.Repository.Benchmarks;

/// <summary>A repository filled with the built-in catalog plus synthetic policies derived from it, in a temporary SQLite file.</summary>
public sealed class SyntheticRepository : IDisposable
{
    private static readonly string[] Vocabulary =
    [
        "latency", "throughput", "gaming", "server", "batch", "interactive", "cache", "numa", "llc", "power", "battery", "audio",
        "container", "cgroup", "compile", "database", "web", "analytics", "video", "transcode", "compression", "deadline", "vruntime",
        "fifo", "locality", "fairness", "tail", "p99", "makespan", "desktop", "hpc", "virtual", "machine", "tickless", "budget",
    ];

    private SyntheticRepository(string directory, SqlitePolicyStore store, PolicyRepository repository)
    {
        Directory = directory;
        Store = store;
        Repository = repository;
    }

    public string Directory { get; }

    public SqlitePolicyStore Store { get; }

    public PolicyRepository Repository { get; }

    public static async Task<SyntheticRepository> CreateAsync(int policies)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("schedcp-bench-").FullName;
        var options = new PolicyRepositoryOptions { DatabasePath = Path.Combine(directory, "bench.db") };
        var store = new SqlitePolicyStore(options);
        var repository = new PolicyRepository(store, Options.Create(options));
        await repository.EnsureReadyAsync();

        var random = new Random(42);
        var templates = BuiltInCatalog.Catalog.Policies;
        var batch = new List<SchedulerPolicy>();
        for (var i = templates.Count; i < policies; i++)
        {
            var t = templates[i % templates.Count];
            var extra = string.Join(' ', Enumerable.Range(0, 12).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
            batch.Add(t with
            {
                Name = $"synthetic_{i}",
                Description = $"{t.Description} Variant {i} tuned for {extra}.",
                Provenance = new PolicyProvenance(PolicyOrigin.Imported, null, "benchmark"),
            });
        }

        await store.UpsertPoliciesAsync(batch, "benchmark");
        return new SyntheticRepository(directory, store, repository);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
