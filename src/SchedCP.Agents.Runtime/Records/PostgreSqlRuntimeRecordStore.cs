using System.Data.Common;

namespace SchedCP.Agents.Runtime.Records;

/// <summary>
/// The records in a PostgreSQL database shared by processes on many machines. A change is a transaction that first
/// takes a transaction-scoped advisory lock of its own (not the lock table's, so records never wait behind claims);
/// the table lives in the connection's search path.
/// </summary>
internal sealed class PostgreSqlRuntimeRecordStore : SqlRuntimeRecordStore
{
    // The advisory lock every SchedCP record store takes ("SchedCPR" in ASCII).
    private const long AdvisoryLockKey = 0x5363686564435052;

    /// <summary>Connects to the database.</summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. "Host=db;Database=schedcp;Username=agent;Search Path=runtime".</param>
    internal PostgreSqlRuntimeRecordStore(string connectionString) => Open(StateConnections.OpenPostgreSql(connectionString));

    private protected override void BeginExclusive(DbConnection connection) =>
        StateConnections.Execute(connection, $"BEGIN; SELECT pg_advisory_xact_lock({AdvisoryLockKey})");
}
