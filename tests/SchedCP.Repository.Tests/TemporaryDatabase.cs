using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace SchedCP.Repository.Tests;

/// <summary>A SQLite file in a fresh temporary directory, deleted afterwards.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    public TemporaryDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("schedcp-repo-").FullName;
        Path = System.IO.Path.Combine(Directory, "repository.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public PolicyRepositoryOptions Options => new() { DatabasePath = Path };

    public SqlitePolicyStore Store() => new(Options, Time);

    public PolicyRepository Repository(IPolicyStore? store = null, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? embeddings = null) =>
        new(store ?? Store(), Microsoft.Extensions.Options.Options.Create(Options), Time, null, embeddings);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
