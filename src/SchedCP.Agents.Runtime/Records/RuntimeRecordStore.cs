namespace SchedCP.Agents.Runtime.Records;

/// <summary>
/// Where a runtime keeps what it records besides the lock table: artifacts, agent memory and run records (with
/// their change sets). <see cref="InMemory"/> keeps them in this process; <see cref="Sqlite"/> in a file (WAL) that
/// every process on the machine naming it shares, and that outlives a crash; <see cref="PostgreSql"/> in a database
/// shared by a fleet. The same file or schema can hold a lock table too.
/// </summary>
public abstract class RuntimeRecordStore : IDisposable
{
    private protected RuntimeRecordStore()
    {
    }

    /// <summary>A private store in this process's memory: gone when the process ends.</summary>
    /// <returns>The store.</returns>
    public static RuntimeRecordStore InMemory() => new InMemoryRuntimeRecordStore();

    /// <summary>A store in a SQLite database file (WAL) shared by every process that opens it; each change is on disk before it returns.</summary>
    /// <param name="path">The database file; created with its folder when missing. May be the lock table's file.</param>
    /// <returns>The store.</returns>
    public static RuntimeRecordStore Sqlite(string path) => new SqliteRuntimeRecordStore(path);

    /// <summary>A store in a PostgreSQL database, for processes on several machines; the table is created in the connection's search path.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The store.</returns>
    public static RuntimeRecordStore PostgreSql(string connectionString) => new PostgreSqlRuntimeRecordStore(connectionString);

    /// <summary>
    /// Replaces the document under <paramref name="key"/> in <paramref name="collection"/> with what
    /// <paramref name="change"/> makes of the current one (null when there is none), as one transaction: no other
    /// process changes the record in between. Returns the stored document.
    /// </summary>
    internal abstract string Update(string collection, string key, Func<string?, string> change);

    /// <summary>The document under <paramref name="key"/>, or null.</summary>
    internal abstract string? Get(string collection, string key);

    /// <summary>Every document of <paramref name="collection"/>, in key order.</summary>
    internal abstract IReadOnlyList<string> List(string collection);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the store's connection, if any.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
