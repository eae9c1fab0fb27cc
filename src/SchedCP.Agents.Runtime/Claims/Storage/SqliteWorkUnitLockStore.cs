using Microsoft.Data.Sqlite;
using SchedCP.Agents.Runtime.Claims.State;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>
/// The lock state in a SQLite file shared by processes on one machine. Every operation is one <c>BEGIN IMMEDIATE</c>
/// transaction (the database's single writer lock, waited for up to the busy timeout), so two processes never
/// decide on the same state at once. The fencing counter is a row written in the same transaction as the grant,
/// so tokens keep increasing across restarts; lease expiry is stored as absolute UTC ticks of the table's clock,
/// so a lease left by a killed process expires on time and the next operation of any process reclaims it.
/// The state is cached and read back only when <c>PRAGMA data_version</c> says another connection committed.
/// </summary>
internal sealed class SqliteWorkUnitLockStore : WorkUnitLockStore
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS lock_counters (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            next_lease_id INTEGER NOT NULL,
            next_token INTEGER NOT NULL,
            next_request_id INTEGER NOT NULL);
        INSERT OR IGNORE INTO lock_counters VALUES (1, 0, 0, 0);
        CREATE TABLE IF NOT EXISTS leases (
            id INTEGER PRIMARY KEY,
            holder TEXT NOT NULL,
            claims TEXT NOT NULL,
            token INTEGER NOT NULL UNIQUE,
            request_id INTEGER NOT NULL,
            ttl_ticks INTEGER NOT NULL,
            granted_at_utc_ticks INTEGER NOT NULL,
            expires_at_utc_ticks INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS lease_waiters (
            seq INTEGER PRIMARY KEY,
            holder TEXT NOT NULL,
            claims TEXT NOT NULL,
            ttl_ticks INTEGER NOT NULL,
            enqueued_at_utc_ticks INTEGER NOT NULL,
            alive_until_utc_ticks INTEGER);
        """;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly bool _readBackEveryTransaction;
    private readonly SqliteCommand _writeLease;
    private readonly SqliteCommand _deleteLease;
    private readonly SqliteCommand _writeWaiter;
    private readonly SqliteCommand _deleteWaiter;
    private readonly SqliteCommand _writeCounters;
    private LockState? _state;
    private long _dataVersion;

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="readBackEveryTransaction">Tests: read the whole state back from the file in every transaction, as a second process would.</param>
    /// <param name="pollInterval">How often waiting tables look for grants by other processes; infinite turns polling off (single-process tests).</param>
    internal SqliteWorkUnitLockStore(string path, bool readBackEveryTransaction = false, TimeSpan? pollInterval = null)
    {
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        _readBackEveryTransaction = readBackEveryTransaction;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = BusyTimeoutMilliseconds / 1000 }.ToString());
        _connection.Open();
        // synchronous=FULL: a granted token is on disk before the grant is returned, so no restart hands it out again.
        Execute($"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        Execute("BEGIN IMMEDIATE;");
        Execute(Schema);
        Execute("COMMIT;");

        _writeLease = Prepare("""
            INSERT OR REPLACE INTO leases (id, holder, claims, token, request_id, ttl_ticks, granted_at_utc_ticks, expires_at_utc_ticks)
            VALUES ($id, $holder, $claims, $token, $request, $ttl, $granted, $expires)
            """, "$id", "$holder", "$claims", "$token", "$request", "$ttl", "$granted", "$expires");
        _deleteLease = Prepare("DELETE FROM leases WHERE id = $id", "$id");
        _writeWaiter = Prepare("""
            INSERT OR REPLACE INTO lease_waiters (seq, holder, claims, ttl_ticks, enqueued_at_utc_ticks, alive_until_utc_ticks)
            VALUES ($seq, $holder, $claims, $ttl, $enqueued, $alive)
            """, "$seq", "$holder", "$claims", "$ttl", "$enqueued", "$alive");
        _deleteWaiter = Prepare("DELETE FROM lease_waiters WHERE seq = $seq", "$seq");
        // MAX: a counter row never goes backwards, whatever a stale writer believed.
        _writeCounters = Prepare("""
            UPDATE lock_counters SET next_lease_id = MAX(next_lease_id, $lease), next_token = MAX(next_token, $token),
                next_request_id = MAX(next_request_id, $request) WHERE id = 1
            """, "$lease", "$token", "$request");
    }

    internal override bool IsShared => true;

    internal override TimeSpan PollInterval { get; }

    internal override T Transact<T>(Func<LockState, bool, T> operation)
    {
        lock (_gate)
        {
            Execute("BEGIN IMMEDIATE;");
            try
            {
                using (var version = _connection.CreateCommand())
                {
                    version.CommandText = "PRAGMA data_version;";
                    var current = (long)version.ExecuteScalar()!;
                    var reread = _state is null || current != _dataVersion || _readBackEveryTransaction;
                    if (reread)
                    {
                        _state = Load();
                    }

                    _dataVersion = current;
                    _state!.Changes!.Clear();
                    var result = operation(_state, reread);
                    Persist(_state);
                    Execute("COMMIT;");
                    return result;
                }
            }
            catch
            {
                // The cached state may hold changes that were never written: read it back next time.
                _state = null;
                Execute("ROLLBACK;");
                throw;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _writeLease.Dispose();
                _deleteLease.Dispose();
                _writeWaiter.Dispose();
                _deleteWaiter.Dispose();
                _writeCounters.Dispose();
                _connection.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private LockState Load()
    {
        var state = new LockState { WaitersNeedLiveness = true, Changes = new LockStateChanges() };
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT next_lease_id, next_token, next_request_id FROM lock_counters WHERE id = 1";
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            state.NextLeaseId = reader.GetInt64(0);
            state.NextToken = reader.GetInt64(1);
            state.NextRequestId = reader.GetInt64(2);
        }

        command.CommandText = "SELECT id, holder, claims, token, request_id, ttl_ticks, granted_at_utc_ticks, expires_at_utc_ticks FROM leases ORDER BY id";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                state.Restore(new LeaseEntry(reader.GetInt64(0), reader.GetString(1), ClaimText.Read(reader.GetString(2)), reader.GetInt64(3),
                    TimeSpan.FromTicks(reader.GetInt64(5)), ClaimText.Time(reader.GetInt64(6)), ClaimText.Time(reader.GetInt64(7)), reader.GetInt64(4)));
            }
        }

        command.CommandText = "SELECT seq, holder, claims, ttl_ticks, enqueued_at_utc_ticks, alive_until_utc_ticks FROM lease_waiters ORDER BY seq";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                state.Restore(new WaitEntry(reader.GetInt64(0), reader.GetString(1), ClaimText.Read(reader.GetString(2)), TimeSpan.FromTicks(reader.GetInt64(3)), ClaimText.Time(reader.GetInt64(4)))
                {
                    AliveUntil = reader.IsDBNull(5) ? null : ClaimText.Time(reader.GetInt64(5)),
                });
            }
        }

        state.RecomputeExpiryHint();
        return state;
    }

    private void Persist(LockState state)
    {
        var changes = state.Changes!;
        foreach (var id in changes.DeletedLeases)
        {
            Run(_deleteLease, id);
        }

        foreach (var id in changes.WrittenLeases)
        {
            var lease = state.Leases[id];
            Run(_writeLease, lease.Id, lease.Holder, ClaimText.Write(lease.Claims), lease.Token, lease.RequestId, lease.Ttl.Ticks,
                lease.Snapshot.GrantedAt.UtcTicks, lease.ExpiresAt.UtcTicks);
        }

        foreach (var seq in changes.DeletedWaiters)
        {
            Run(_deleteWaiter, seq);
        }

        foreach (var seq in changes.WrittenWaiters)
        {
            var waiter = state.Waiters.First(w => w.Seq == seq);
            Run(_writeWaiter, waiter.Seq, waiter.Holder, ClaimText.Write(waiter.Claims), waiter.Ttl.Ticks, waiter.EnqueuedAt.UtcTicks,
                waiter.AliveUntil is { } alive ? alive.UtcTicks : DBNull.Value);
        }

        // Always: a request id taken by a refused request must not be taken again by another process.
        Run(_writeCounters, state.NextLeaseId, state.NextToken, state.NextRequestId);
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
