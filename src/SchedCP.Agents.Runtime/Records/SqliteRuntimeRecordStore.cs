using System.Data.Common;

namespace SchedCP.Agents.Runtime.Records;

/// <summary>
/// The records in a SQLite file (WAL) shared by processes on one machine, possibly the lock table's file. A change
/// is a <c>BEGIN IMMEDIATE</c> transaction (the file's single writer lock, waited for up to the busy timeout) and
/// is synced before it returns, so a record written by a process that is killed right after is there for the next.
/// </summary>
internal sealed class SqliteRuntimeRecordStore : SqlRuntimeRecordStore
{
    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    internal SqliteRuntimeRecordStore(string path) => Open(StateConnections.OpenSqlite(path));

    private protected override void BeginExclusive(DbConnection connection) => StateConnections.Execute(connection, "BEGIN IMMEDIATE");
}
