using System.Data.Common;
using SchedCP.Agents.Runtime.Records;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>
/// The lock state in a SQLite file (WAL) shared by processes on one machine. Each operation is a <c>BEGIN IMMEDIATE</c>
/// transaction, which takes the file's single writer lock (waited for up to the busy timeout). The fencing counter
/// is a row written in the same transaction as the grant and synced before it returns (<c>synchronous=FULL</c>),
/// so tokens keep increasing across restarts; lease expiry is stored as absolute UTC ticks of the table's clock,
/// so a lease left by a killed process expires on time and the next operation of any process reclaims it.
/// </summary>
internal sealed class SqliteWorkUnitLockStore : SqlWorkUnitLockStore
{
    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="readBackEveryTransaction">Tests: read the whole state back from the file in every transaction, as a second process would.</param>
    /// <param name="pollInterval">How often waiting tables look for grants by other processes; infinite turns polling off (single-process tests).</param>
    internal SqliteWorkUnitLockStore(string path, bool readBackEveryTransaction = false, TimeSpan? pollInterval = null)
        : base(readBackEveryTransaction, pollInterval)
    {
        var connection = StateConnections.OpenSqlite(path);
        Open(connection);
    }

    private protected override void BeginExclusive(DbConnection connection) => Execute(connection, "BEGIN IMMEDIATE");
}
