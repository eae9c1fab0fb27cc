using SchedCP.Agents.Runtime.Records;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;

namespace SchedCP.Agents.Runtime.Tests.Records;

/// <summary>
/// One runtime state of one kind for one test: in memory, a SQLite file, or a schema in the throwaway PostgreSQL
/// cluster the lock store tests start (<see cref="PostgreSqlServer"/>). Opens record stores and runtimes on it, again
/// and again, as later or other processes would.
/// </summary>
internal sealed class TestRecordState : IDisposable
{
    private readonly string _kind;
    private readonly string? _connectionString;

    public TestRecordState(string kind)
    {
        _kind = kind;
        Workspace = new TempWorkspace();
        _connectionString = kind == TestLockStore.PostgreSql ? PostgreSqlServer.Instance.NewDatabase() : null;
    }

    /// <summary>Memory, SQLite, and PostgreSQL where its server is installed.</summary>
    public static TheoryData<string> Kinds => PostgreSqlServer.Installed ? [TestLockStore.Memory, TestLockStore.Sqlite, TestLockStore.PostgreSql] : [TestLockStore.Memory, TestLockStore.Sqlite];

    /// <summary>The kinds a second runtime or process can open.</summary>
    public static TheoryData<string> SharedKinds => TestLockStore.SharedKinds;

    public TempWorkspace Workspace { get; }

    public string StatePath => Path.Combine(Workspace.Root, ".schedcp-runtime", "state.db");

    /// <summary>How the record writer process names this state.</summary>
    public string WorkerDatabase => _connectionString is null ? StatePath : "postgresql:" + _connectionString;

    public bool IsShared => _kind != TestLockStore.Memory;

    public RuntimeRecordStore OpenStore() =>
        _kind switch
        {
            TestLockStore.Memory => RuntimeRecordStore.InMemory(),
            TestLockStore.PostgreSql => RuntimeRecordStore.PostgreSql(_connectionString!),
            _ => RuntimeRecordStore.Sqlite(StatePath),
        };

    /// <summary>Options of a runtime on this state (in memory: its own).</summary>
    public AgentRuntimeOptions Options() =>
        _kind switch
        {
            TestLockStore.Memory => Workspace.Options(),
            TestLockStore.PostgreSql => Workspace.Options().UsePostgreSqlState(_connectionString!),
            _ => Workspace.Options().UseSqliteState(StatePath),
        };

    public void Dispose() => Workspace.Dispose();
}
