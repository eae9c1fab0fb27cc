using System.Data.Common;
using SchedCP.Agents.Runtime.Records;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>
/// The lock state in a PostgreSQL database shared by processes on many machines. Each operation is a transaction
/// that first takes a transaction-scoped advisory lock, so operations of all processes run one at a time; the tables
/// live in the connection's search path (give each lock table its own schema). Lease expiry is compared with each
/// process's own clock, so the machines' clocks must agree to well within a TTL.
/// </summary>
internal sealed class PostgreSqlWorkUnitLockStore : SqlWorkUnitLockStore
{
    // The advisory lock every SchedCP lock table takes ("SchedCPL" in ASCII).
    private const long AdvisoryLockKey = 0x5363686564435046;

    /// <summary>Connects to the database.</summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. "Host=db;Database=schedcp;Username=agent;Search Path=locks".</param>
    /// <param name="readBackEveryTransaction">Tests: read the whole state back in every transaction.</param>
    /// <param name="pollInterval">How often waiting tables look for grants by other processes; infinite turns polling off.</param>
    internal PostgreSqlWorkUnitLockStore(string connectionString, bool readBackEveryTransaction = false, TimeSpan? pollInterval = null)
        : base(readBackEveryTransaction, pollInterval)
    {
        Open(StateConnections.OpenPostgreSql(connectionString));
    }

    private protected override void BeginExclusive(DbConnection connection) =>
        Execute(connection, $"BEGIN; SELECT pg_advisory_xact_lock({AdvisoryLockKey})");
}
