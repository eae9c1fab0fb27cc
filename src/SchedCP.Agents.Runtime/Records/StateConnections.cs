using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SchedCP.Agents.Runtime.Records;

/// <summary>
/// Opens the connections every durable runtime store uses, so the lock table and the records in one state file run
/// with the same settings: SQLite in WAL mode, synced on every commit, waiting up to 30 s for the writer lock.
/// </summary>
internal static class StateConnections
{
    private const int BusyTimeoutMilliseconds = 30_000;

    /// <summary>Opens (creating with its folder when missing) the SQLite file at <paramref name="path"/>.</summary>
    internal static SqliteConnection OpenSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = BusyTimeoutMilliseconds / 1000 }.ToString());
        connection.Open();
        // synchronous=FULL: what a commit returned is on disk, so no crash or restart loses or repeats it.
        Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        return connection;
    }

    /// <summary>Connects to the PostgreSQL database of <paramref name="connectionString"/>.</summary>
    internal static NpgsqlConnection OpenPostgreSql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs a statement that returns nothing.</summary>
    internal static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Rolls back, keeping the original failure: when the transaction never began (the writer lock timed out) there is nothing to roll back.</summary>
    internal static void RollBack(DbConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK");
        }
        catch (DbException)
        {
        }
    }
}
