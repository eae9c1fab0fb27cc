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

    /// <summary>A schema in a throwaway PostgreSQL cluster (only when the server binaries are installed).</summary>
    public const string PostgreSql = "postgresql";

    private readonly string? _folder;
    private readonly string? _connectionString;

    private TestLockStore(WorkUnitLockStore store, string? folder, string? connectionString = null)
    {
        Store = store;
        _folder = folder;
        _connectionString = connectionString;
    }

    /// <summary>Every store; PostgreSQL only where its server is installed (<see cref="PostgreSqlFactAttribute"/> tests say when it is not).</summary>
    public static TheoryData<string> Kinds => PostgreSqlServer.Installed ? [Memory, Sqlite, SqliteReadBack, PostgreSql] : [Memory, Sqlite, SqliteReadBack];

    /// <summary>The stores several tables (processes) can share.</summary>
    public static TheoryData<string> SharedKinds => PostgreSqlServer.Installed ? [Sqlite, PostgreSql] : [Sqlite];

    public WorkUnitLockStore Store { get; }

    public string? DatabasePath => _folder is null ? null : Path.Combine(_folder, "locks.db");

    public static TestLockStore Open(string kind)
    {
        if (kind == Memory)
        {
            return new TestLockStore(WorkUnitLockStore.InMemory(), null);
        }

        if (kind == PostgreSql)
        {
            var connectionString = PostgreSqlServer.Instance.NewDatabase();
            return new TestLockStore(new PostgreSqlWorkUnitLockStore(connectionString, pollInterval: Timeout.InfiniteTimeSpan), null, connectionString);
        }

        var folder = NewFolder();
        var path = Path.Combine(folder, "locks.db");
        return new TestLockStore(new SqliteWorkUnitLockStore(path, readBackEveryTransaction: kind == SqliteReadBack, pollInterval: Timeout.InfiniteTimeSpan), folder);
    }

    /// <summary>Another store on the same database, as a second process opens it (polling for grants).</summary>
    public WorkUnitLockStore OpenAgain() =>
        _connectionString is not null ? WorkUnitLockStore.PostgreSql(_connectionString)
        : DatabasePath is not null ? WorkUnitLockStore.Sqlite(DatabasePath)
        : throw new InvalidOperationException("an in-memory store cannot be opened again");

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
