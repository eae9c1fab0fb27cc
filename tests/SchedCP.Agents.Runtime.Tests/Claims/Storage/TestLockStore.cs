using SchedCP.Agents.Runtime.Claims.Storage;

namespace SchedCP.Agents.Runtime.Tests.Claims.Storage;

/// <summary>A lock store of one kind for one test, with its files removed afterwards.</summary>
internal sealed class TestLockStore : IDisposable
{
    /// <summary>In memory.</summary>
    public const string Memory = "memory";

    /// <summary>A SQLite file, the state cached between transactions as in normal use.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A SQLite file read back whole in every transaction, as a second process sees it: proves the rows hold all the state.</summary>
    public const string SqliteReadBack = "sqlite-read-back";

    private readonly string? _folder;

    private TestLockStore(WorkUnitLockStore store, string? folder)
    {
        Store = store;
        _folder = folder;
    }

    public static TheoryData<string> Kinds => [Memory, Sqlite, SqliteReadBack];

    public WorkUnitLockStore Store { get; }

    public string? DatabasePath => _folder is null ? null : Path.Combine(_folder, "locks.db");

    public static TestLockStore Open(string kind)
    {
        if (kind == Memory)
        {
            return new TestLockStore(WorkUnitLockStore.InMemory(), null);
        }

        var folder = NewFolder();
        var path = Path.Combine(folder, "locks.db");
        return new TestLockStore(new SqliteWorkUnitLockStore(path, readBackEveryTransaction: kind == SqliteReadBack, pollInterval: Timeout.InfiniteTimeSpan), folder);
    }

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "schedcp-locks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        Store.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
