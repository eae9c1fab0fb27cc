using System.Data.Common;
using SchedCP.Agents.Runtime.Claims.State;
using SchedCP.Agents.Runtime.Records;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>
/// A lock store in a SQL database shared by processes. Every operation is one transaction that first takes the
/// database's single writer lock for the lock table (how is up to the database), so two processes never decide on
/// the same state at once. The state is cached between operations and read back only when the version row says
/// another process committed since.
/// </summary>
internal abstract class SqlWorkUnitLockStore : WorkUnitLockStore
{
    [ThreadStatic]
    private static int t_transacting;

    private readonly Lock _gate = new();
    private readonly bool _readBackEveryTransaction;
    private DbConnection? _connection;
    private LockStateRows? _rows;
    private LockState? _state;
    private long _version = -1;

    private protected SqlWorkUnitLockStore(bool readBackEveryTransaction, TimeSpan? pollInterval)
    {
        _readBackEveryTransaction = readBackEveryTransaction;
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100);
    }

    internal override bool IsShared => true;

    /// <summary>
    /// Whether this thread is inside a lock-table transaction (in an observer callback): a write to another store on
    /// the same SQLite file would wait for the writer lock this thread holds, so it has to wait until the transaction ends.
    /// </summary>
    internal static bool TransactingOnThisThread => t_transacting > 0;

    internal override TimeSpan PollInterval { get; }

    /// <summary>Call once from the constructor with the open connection; creates the tables under the writer lock.</summary>
    private protected void Open(DbConnection connection)
    {
        _connection = connection;
        BeginExclusive(connection);
        Execute(connection, LockStateRows.CountersDefinition);
        Execute(connection, "COMMIT");
        _rows = new LockStateRows(connection);
    }

    /// <summary>Starts a transaction holding the lock table's writer lock until it ends.</summary>
    private protected abstract void BeginExclusive(DbConnection connection);

    internal override TResult Transact<TArg, TResult>(TArg argument, Func<LockState, bool, TArg, TResult> operation)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_connection is null || _rows is null, this);
            t_transacting++;
            try
            {
                BeginExclusive(_connection);
                var version = _rows.ReadVersion();
                var reread = _state is null || version != _version || _readBackEveryTransaction;
                if (reread)
                {
                    _state = _rows.Load();
                }

                _state!.Changes!.Clear();
                var result = operation(_state, reread, argument);
                _rows.Persist(_state);
                Execute(_connection, "COMMIT");
                _version = version + 1;
                return result;
            }
            catch
            {
                // The cached state may hold changes that were never written: read it back next time.
                _state = null;
                RollBack(_connection);
                throw;
            }
            finally
            {
                t_transacting--;
            }
        }
    }

    private static void RollBack(DbConnection connection) => StateConnections.RollBack(connection);

    private protected static void Execute(DbConnection connection, string sql) => StateConnections.Execute(connection, sql);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _rows?.Dispose();
                _connection?.Dispose();
                _rows = null;
                _connection = null;
            }
        }

        base.Dispose(disposing);
    }
}
