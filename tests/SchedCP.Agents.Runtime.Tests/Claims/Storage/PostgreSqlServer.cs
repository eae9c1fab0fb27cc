using System.Diagnostics;
using Npgsql;

namespace SchedCP.Agents.Runtime.Tests.Claims.Storage;

/// <summary>
/// A throwaway PostgreSQL cluster from the Debian package, started once per test run in a temporary folder and
/// reached over a Unix socket only (no TCP, no network). initdb refuses root, so as root the server runs as the
/// package's <c>postgres</c> user. When the binaries are missing the PostgreSQL tests are skipped and say why.
/// </summary>
internal sealed class PostgreSqlServer
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string Port = "5432";
    private static readonly Lazy<PostgreSqlServer> Shared = new(() => new PostgreSqlServer(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string _folder;
    private readonly string _data;
    private int _schemas;

    private PostgreSqlServer()
    {
        _folder = Path.Combine("/tmp", "schedcp-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(_folder);
        if (Environment.IsPrivilegedProcess)
        {
            Run("chown", "postgres:postgres", _folder);
        }

        AsServerUser(Path.Combine(Binaries, "initdb"), "-D", _data, "-U", "schedcp", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        AsServerUser(Path.Combine(Binaries, "pg_ctl"), "-D", _data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "180",
            "-o", $"-c listen_addresses='' -k {_folder} -p {Port} -c fsync=off -c synchronous_commit=off -c max_connections=200", "start");
    }

    public static bool Installed => File.Exists(Path.Combine(Binaries, "initdb")) && File.Exists(Path.Combine(Binaries, "pg_ctl"));

    public static string NotInstalled => $"PostgreSQL server binaries are not installed ({Binaries}/initdb, pg_ctl): the PostgreSQL lock store is NOT tested. Install the Debian package postgresql-15.";

    public static PostgreSqlServer Instance => Shared.Value;

    /// <summary>A connection string whose search path is a new, empty schema: one lock table.</summary>
    public string NewDatabase()
    {
        var schema = "locks_" + Interlocked.Increment(ref _schemas);
        using (var connection = new NpgsqlConnection(ConnectionString(null)))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE SCHEMA {schema}";
            command.ExecuteNonQuery();
        }

        return ConnectionString(schema);
    }

    private string ConnectionString(string? schema) => new NpgsqlConnectionStringBuilder
    {
        Host = _folder,
        Port = int.Parse(Port, System.Globalization.CultureInfo.InvariantCulture),
        Username = "schedcp",
        Database = "postgres",
        Pooling = false,
        SearchPath = schema,
    }.ToString();

    /// <summary>Stops the cluster and removes its folder, if a test started it.</summary>
    public static void StopIfStarted()
    {
        if (!Shared.IsValueCreated)
        {
            return;
        }

        var server = Shared.Value;
        AsServerUser(Path.Combine(Binaries, "pg_ctl"), "-D", server._data, "-m", "fast", "-w", "stop");
        Directory.Delete(server._folder, recursive: true);
    }

    private static void AsServerUser(string program, params string[] arguments)
    {
        if (Environment.IsPrivilegedProcess)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish in 3 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}");
        }
    }
}

/// <summary>The test classes that may start the cluster; it is stopped when the last of them is done.</summary>
[CollectionDefinition(Name)]
public sealed class LockStoreTests : ICollectionFixture<LockStoreTests.Cluster>
{
    public const string Name = "lock stores";

    public sealed class Cluster : IDisposable
    {
        public void Dispose() => PostgreSqlServer.StopIfStarted();
    }
}

/// <summary>A fact that is skipped, saying why, where the PostgreSQL server binaries are missing.</summary>
internal sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (!PostgreSqlServer.Installed)
        {
            Skip = PostgreSqlServer.NotInstalled;
        }
    }
}
