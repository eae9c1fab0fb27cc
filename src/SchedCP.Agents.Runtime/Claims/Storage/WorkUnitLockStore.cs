using SchedCP.Agents.Runtime.Claims.State;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>
/// Where a <see cref="WorkUnitLockTable"/> keeps its leases, waiting requests and fencing counter. The table's rules
/// (FIFO, conflicts, deadlock detection, fencing, expiry) are the same over every store; the store decides who
/// else sees the state: <see cref="InMemory"/> only this table, <see cref="Sqlite"/> every process on the machine
/// that opens the same file.
/// </summary>
public abstract class WorkUnitLockStore : IDisposable
{
    private protected WorkUnitLockStore()
    {
    }

    /// <summary>A private store in this process's memory: the fastest, gone when the process ends.</summary>
    /// <returns>The store.</returns>
    public static WorkUnitLockStore InMemory() => new InMemoryWorkUnitLockStore();

    /// <summary>
    /// A store in a SQLite database file (WAL) shared by every process that opens it: leases survive a crash, expired
    /// ones are reclaimed by whoever comes next, and fencing tokens keep increasing across restarts.
    /// </summary>
    /// <param name="path">The database file; created with its folder when missing.</param>
    /// <returns>The store.</returns>
    public static WorkUnitLockStore Sqlite(string path) => new SqliteWorkUnitLockStore(path);

    /// <summary>
    /// A store in a PostgreSQL database, for processes on several machines. The tables are created in the
    /// connection's search path; give each lock table its own schema (<c>Search Path=…</c>). The machines' clocks
    /// must agree to well within a lease TTL.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The store.</returns>
    public static WorkUnitLockStore PostgreSql(string connectionString) => new PostgreSqlWorkUnitLockStore(connectionString);

    private int _tables;

    /// <summary>Claims the store for one table: tickets are settled by the table that queued them, so a second table needs its own store.</summary>
    internal void Attach()
    {
        if (Interlocked.Increment(ref _tables) > 1)
        {
            throw new InvalidOperationException("This lock store already serves a lock table: give each table its own store (open the same file or database again).");
        }
    }

    /// <summary>Whether other tables (other processes) may change the state: then waiting requests are polled and kept alive.</summary>
    internal abstract bool IsShared { get; }

    /// <summary>How often a table with waiting requests looks for grants made by other processes.</summary>
    internal virtual TimeSpan PollInterval => TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="operation"/> with <paramref name="argument"/> alone against the current state and keeps what it changed; the flag tells
    /// the operation whether the state was read back from the store since its last run (others may have changed it).
    /// </summary>
    internal abstract TResult Transact<TArg, TResult>(TArg argument, Func<LockState, bool, TArg, TResult> operation);

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
