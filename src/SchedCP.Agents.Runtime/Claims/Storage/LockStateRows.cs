using System.Data.Common;
using SchedCP.Agents.Runtime.Claims.State;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>
/// Reads the lock state from, and writes one operation's changes to, the three tables every SQL store has:
/// <c>lock_counters</c>, <c>leases</c> and <c>lease_waiters</c>. The SQL is plain enough for SQLite and PostgreSQL
/// alike; the store around it decides how a transaction takes the database's one writer lock.
/// </summary>
internal sealed class LockStateRows : IDisposable
{
    private readonly DbConnection _connection;
    private readonly DbCommand _writeLease;
    private readonly DbCommand _deleteLease;
    private readonly DbCommand _writeWaiter;
    private readonly DbCommand _deleteWaiter;
    private readonly DbCommand _writeCounters;

    public LockStateRows(DbConnection connection)
    {
        _connection = connection;
        _writeLease = Prepare("""
            INSERT INTO leases (id, holder, claims, token, request_id, ttl_ticks, granted_at_utc_ticks, expires_at_utc_ticks)
            VALUES (@id, @holder, @claims, @token, @request, @ttl, @granted, @expires)
            ON CONFLICT (id) DO UPDATE SET expires_at_utc_ticks = excluded.expires_at_utc_ticks
            """, "id", "holder", "claims", "token", "request", "ttl", "granted", "expires");
        _deleteLease = Prepare("DELETE FROM leases WHERE id = @id", "id");
        _writeWaiter = Prepare("""
            INSERT INTO lease_waiters (seq, holder, claims, ttl_ticks, enqueued_at_utc_ticks, alive_until_utc_ticks)
            VALUES (@seq, @holder, @claims, @ttl, @enqueued, @alive)
            ON CONFLICT (seq) DO UPDATE SET alive_until_utc_ticks = excluded.alive_until_utc_ticks
            """, "seq", "holder", "claims", "ttl", "enqueued", "alive");
        _deleteWaiter = Prepare("DELETE FROM lease_waiters WHERE seq = @seq", "seq");
        // A counter never goes backwards, whatever a stale writer believed.
        _writeCounters = Prepare("""
            UPDATE lock_counters SET
                next_lease_id = CASE WHEN next_lease_id > @lease THEN next_lease_id ELSE @lease END,
                next_token = CASE WHEN next_token > @token THEN next_token ELSE @token END,
                next_request_id = CASE WHEN next_request_id > @request THEN next_request_id ELSE @request END,
                version = version + 1
            WHERE id = 1
            """, "lease", "token", "request");
    }

    /// <summary>The counters row and its version, which every write transaction bumps.</summary>
    public const string CountersDefinition = """
        CREATE TABLE IF NOT EXISTS lock_counters (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            next_lease_id BIGINT NOT NULL,
            next_token BIGINT NOT NULL,
            next_request_id BIGINT NOT NULL,
            version BIGINT NOT NULL);
        INSERT INTO lock_counters VALUES (1, 0, 0, 0, 0) ON CONFLICT (id) DO NOTHING;
        CREATE TABLE IF NOT EXISTS leases (
            id BIGINT PRIMARY KEY,
            holder TEXT NOT NULL,
            claims TEXT NOT NULL,
            token BIGINT NOT NULL UNIQUE,
            request_id BIGINT NOT NULL,
            ttl_ticks BIGINT NOT NULL,
            granted_at_utc_ticks BIGINT NOT NULL,
            expires_at_utc_ticks BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS lease_waiters (
            seq BIGINT PRIMARY KEY,
            holder TEXT NOT NULL,
            claims TEXT NOT NULL,
            ttl_ticks BIGINT NOT NULL,
            enqueued_at_utc_ticks BIGINT NOT NULL,
            alive_until_utc_ticks BIGINT);
        """;

    /// <summary>The version of the rows: it changes with every committed operation of any process.</summary>
    public long ReadVersion()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT version FROM lock_counters WHERE id = 1";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public LockState Load()
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

    /// <summary>Writes what the operation changed and bumps the version (always: a request id taken by a refused request must not be taken again elsewhere).</summary>
    public void Persist(LockState state)
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

        Run(_writeCounters, state.NextLeaseId, state.NextToken, state.NextRequestId);
    }

    public void Dispose()
    {
        _writeLease.Dispose();
        _deleteLease.Dispose();
        _writeWaiter.Dispose();
        _deleteWaiter.Dispose();
        _writeCounters.Dispose();
    }

    private static void Run(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }

    private DbCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
