using System.Data.Common;

namespace SchedCP.Agents.Runtime.Records;

/// <summary>
/// Records in one SQL table (<c>runtime_records</c>: collection, key, document) shared by processes. A change is one
/// transaction that first takes the database's writer lock for the records (how is up to the database), reads the
/// current document and writes the new one, so two processes never change a record from the same old value.
/// </summary>
internal abstract class SqlRuntimeRecordStore : RuntimeRecordStore
{
    private const string Definition =
        "CREATE TABLE IF NOT EXISTS runtime_records (collection TEXT NOT NULL, record_key TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (collection, record_key))";

    private readonly Lock _gate = new();
    private DbConnection? _connection;

    /// <summary>Call once from the constructor with the open connection; creates the table under the writer lock.</summary>
    private protected void Open(DbConnection connection)
    {
        _connection = connection;
        BeginExclusive(connection);
        StateConnections.Execute(connection, Definition);
        StateConnections.Execute(connection, "COMMIT");
    }

    /// <summary>Starts a transaction holding the records' writer lock until it ends.</summary>
    private protected abstract void BeginExclusive(DbConnection connection);

    internal override string Update(string collection, string key, Func<string?, string> change)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_connection is null, this);
            try
            {
                BeginExclusive(_connection);
                var current = Read(_connection, collection, key);
                var document = change(current);
                if (document != current)
                {
                    using var write = Command(_connection,
                        "INSERT INTO runtime_records (collection, record_key, document) VALUES (@collection, @key, @document) " +
                        "ON CONFLICT (collection, record_key) DO UPDATE SET document = excluded.document", collection, key);
                    Parameter(write, "@document", document);
                    write.ExecuteNonQuery();
                }

                StateConnections.Execute(_connection, "COMMIT");
                return document;
            }
            catch
            {
                StateConnections.RollBack(_connection);
                throw;
            }
        }
    }

    internal override string? Get(string collection, string key)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_connection is null, this);
            return Read(_connection, collection, key);
        }
    }

    internal override IReadOnlyList<string> List(string collection)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_connection is null, this);
            using var query = Command(_connection, "SELECT document FROM runtime_records WHERE collection = @collection ORDER BY record_key", collection, key: null);
            using var reader = query.ExecuteReader();
            var documents = new List<string>();
            while (reader.Read())
            {
                documents.Add(reader.GetString(0));
            }

            return documents;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _connection?.Dispose();
                _connection = null;
            }
        }

        base.Dispose(disposing);
    }

    private static string? Read(DbConnection connection, string collection, string key)
    {
        using var query = Command(connection, "SELECT document FROM runtime_records WHERE collection = @collection AND record_key = @key", collection, key);
        return query.ExecuteScalar() as string;
    }

    private static DbCommand Command(DbConnection connection, string sql, string collection, string? key)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Parameter(command, "@collection", collection);
        if (key is not null)
        {
            Parameter(command, "@key", key);
        }

        return command;
    }

    private static void Parameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
