using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SchedCP.Repository;

/// <summary>
/// The default <see cref="IPolicyStore"/>: one SQLite file in WAL mode (many readers alongside one writer, across
/// processes), schema migrations recorded in a <c>schema_version</c> table, and every write in an immediate
/// transaction so a process killed mid-write loses nothing it had committed and leaves no half-written rows.
/// </summary>
public sealed partial class SqlitePolicyStore : IPolicyStore
{
    private readonly string _connectionString;
    private readonly string _path;
    private readonly bool _flushEveryCommit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _initGate = new();
    private volatile bool _initialized;

    /// <summary>Creates a store over the database file named in <paramref name="options"/>.</summary>
    /// <param name="options">The repository options.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    public SqlitePolicyStore(PolicyRepositoryOptions options, TimeProvider? timeProvider = null, ILogger<SqlitePolicyStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = Path.GetFullPath(options.DatabasePath);
        _flushEveryCommit = options.FlushEveryCommit;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
        }.ToString();
        BusyTimeoutMilliseconds = options.BusyTimeoutMilliseconds;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _path;

    private int BusyTimeoutMilliseconds { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Run(() =>
    {
        Initialize(cancellationToken);
        return true;
    }, cancellationToken);

    private void Initialize(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        lock (_initGate)
        {
            if (_initialized)
            {
                return;
            }

            // Refuse a directory, a device or a foreign file before SQLite opens (and possibly writes) it; create no folders.
            var usable = DatabaseFile.Check(_path);
            if (!usable.Succeeded)
            {
                throw new InvalidOperationException(usable.Failure.Message);
            }

            using var connection = OpenCore(cancellationToken);
            Execute(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
            using (var tx = connection.BeginTransaction(deferred: false))
            {
                Execute(connection, tx, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken);
                var current = Convert.ToInt32(Scalar(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", cancellationToken), CultureInfo.InvariantCulture);
                var scripts = SqliteMigrations.Scripts;
                if (current > scripts.Count)
                {
                    throw new InvalidOperationException($"The database {_path} has schema version {current}, newer than this package's {scripts.Count}; upgrade SchedCP.Repository.");
                }

                for (var version = current + 1; version <= scripts.Count; version++)
                {
                    Execute(connection, tx, scripts[version - 1], cancellationToken);
                    using var insert = Command(connection, tx, "INSERT INTO schema_version(version, applied_at) VALUES ($v, $at);");
                    insert.Parameters.AddWithValue("$v", version);
                    insert.Parameters.AddWithValue("$at", Now());
                    insert.ExecuteNonQuery();
                }

                tx.Commit();
                if (current < scripts.Count)
                {
                    RepositoryLog.Migrated(_logger, _path, current, scripts.Count);
                }
            }

            _initialized = true;
        }
    }

    /// <summary>The schema version of the database file.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The highest applied migration.</returns>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) => Run<int>(() =>
    {
        using var connection = Open(cancellationToken);
        return Convert.ToInt32(Scalar(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", cancellationToken), CultureInfo.InvariantCulture);
    }, cancellationToken);

    /// <summary>Runs SQLite's <c>PRAGMA integrity_check</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>ok</c> for a sound database, otherwise the problems found.</returns>
    public Task<string> CheckIntegrityAsync(CancellationToken cancellationToken = default) => Run<string>(() =>
    {
        using var connection = Open(cancellationToken);
        var rows = new List<string>();
        using var cmd = Command(connection, null, "PRAGMA integrity_check;");
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return string.Join("\n", rows);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<long> GetPolicyGenerationAsync(CancellationToken cancellationToken = default) => Run<long>(() =>
    {
        using var connection = Open(cancellationToken);
        return Convert.ToInt64(Scalar(connection, null, "SELECT value FROM meta WHERE key = 'policy_generation';", cancellationToken), CultureInfo.InvariantCulture);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<SchedulerPolicy?> GetPolicyAsync(string name, CancellationToken cancellationToken = default) => Run<SchedulerPolicy?>(() =>
    {
        ArgumentNullException.ThrowIfNull(name);
        using var connection = Open(cancellationToken);
        using var cmd = Command(connection, null, "SELECT document FROM policies WHERE name = $name;");
        cmd.Parameters.AddWithValue("$name", name);
        var document = cmd.ExecuteScalar() as string;
        return document is null ? null : JsonSerializer.Deserialize<SchedulerPolicy>(document, RepositoryJson.Options);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SchedulerPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) => Run<IReadOnlyList<SchedulerPolicy>>(() =>
    {
        using var connection = Open(cancellationToken);
        return ListPoliciesCore(connection, null, cancellationToken);
    }, cancellationToken);

    /// <inheritdoc />
    public Task UpsertPoliciesAsync(IReadOnlyList<SchedulerPolicy> policies, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return Run(() => Write((connection, tx) =>
        {
            foreach (var policy in policies)
            {
                var existing = LifecycleOf(connection, tx, policy.Name, cancellationToken);
                WritePolicy(connection, tx, policy, cancellationToken);
                if (existing != policy.Lifecycle)
                {
                    InsertTransition(connection, tx, new LifecycleTransition(policy.Name, existing, policy.Lifecycle, reason, null, _time.GetUtcNow()), cancellationToken);
                }
            }

            BumpGeneration(connection, tx, cancellationToken);
            return true;
        }, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryInsertPolicyAsync(SchedulerPolicy policy, IReadOnlyList<VerifierVerdict> verdicts, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(verdicts);
        return Run(() => Write((connection, tx) =>
        {
            if (LifecycleOf(connection, tx, policy.Name, cancellationToken) is not null)
            {
                return false;
            }

            WritePolicy(connection, tx, policy, cancellationToken);
            InsertVerdicts(connection, tx, policy.Name, verdicts, cancellationToken);
            InsertTransition(connection, tx, new LifecycleTransition(policy.Name, null, policy.Lifecycle, reason, null, _time.GetUtcNow()), cancellationToken);
            BumpGeneration(connection, tx, cancellationToken);
            return true;
        }, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryTransitionAsync(LifecycleTransition transition, IReadOnlyList<VerifierVerdict> verdicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(verdicts);
        return Run(() => Write((connection, tx) =>
        {
            using var read = Command(connection, tx, "SELECT document FROM policies WHERE name = $name;");
            read.Parameters.AddWithValue("$name", transition.PolicyName);
            if (read.ExecuteScalar() is not string document)
            {
                return false;
            }

            var policy = JsonSerializer.Deserialize<SchedulerPolicy>(document, RepositoryJson.Options)!;
            if (policy.Lifecycle != transition.From)
            {
                return false;
            }

            WritePolicy(connection, tx, policy with { Lifecycle = transition.To }, cancellationToken);
            InsertVerdicts(connection, tx, policy.Name, verdicts, cancellationToken);
            InsertTransition(connection, tx, transition, cancellationToken);
            BumpGeneration(connection, tx, cancellationToken);
            return true;
        }, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VerifierVerdict>> GetVerdictsAsync(string name, CancellationToken cancellationToken = default) => Run<IReadOnlyList<VerifierVerdict>>(() =>
    {
        using var connection = Open(cancellationToken);
        return ReadVerdicts(connection, name, cancellationToken);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LifecycleTransition>> GetTransitionsAsync(string name, CancellationToken cancellationToken = default) => Run<IReadOnlyList<LifecycleTransition>>(() =>
    {
        using var connection = Open(cancellationToken);
        return ReadTransitions(connection, name, cancellationToken);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<WorkloadProfile> UpsertProfileAsync(WorkloadProfile profile, CancellationToken cancellationToken = default) => Run<WorkloadProfile>(() =>
    {
        ArgumentNullException.ThrowIfNull(profile);
        Write((connection, tx) =>
        {
            InsertProfile(connection, tx, profile, cancellationToken);
            return true;
        }, cancellationToken);
        using var connection = Open(cancellationToken);
        return ReadProfile(connection, profile.Fingerprint)!;
    }, cancellationToken);

    /// <inheritdoc />
    public Task<WorkloadProfile?> GetProfileAsync(string fingerprint, CancellationToken cancellationToken = default) => Run<WorkloadProfile?>(() =>
    {
        using var connection = Open(cancellationToken);
        return ReadProfile(connection, fingerprint);
    }, cancellationToken);

    private static WorkloadProfile? ReadProfile(SqliteConnection connection, string fingerprint)
    {
        using var cmd = Command(connection, null, "SELECT fingerprint, description, characteristics, created_at FROM workload_profiles WHERE fingerprint = $f;");
        cmd.Parameters.AddWithValue("$f", fingerprint);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? ReadProfile(reader) : null;
    }

    /// <inheritdoc />
    public Task<int> AddRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Run(() => Write((connection, tx) =>
        {
            var added = 0;
            foreach (var run in runs)
            {
                added += InsertRun(connection, tx, run, cancellationToken);
            }

            return added;
        }, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> GetRunsAsync(string fingerprint, CancellationToken cancellationToken = default) => Run<IReadOnlyList<RunRecord>>(() =>
    {
        using var connection = Open(cancellationToken);
        return ReadRuns(connection, fingerprint, cancellationToken);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<RepositorySnapshot> ExportAsync(CancellationToken cancellationToken = default) => Run<RepositorySnapshot>(() =>
    {
        using var connection = Open(cancellationToken);

        // One read transaction gives a consistent snapshot while a writer carries on (WAL).
        using var tx = connection.BeginTransaction(deferred: true);
        var policies = ListPoliciesCore(connection, tx, cancellationToken);
        var verdicts = new Dictionary<string, IReadOnlyList<VerifierVerdict>>(StringComparer.Ordinal);
        var transitions = new List<LifecycleTransition>();
        foreach (var policy in policies)
        {
            var v = ReadVerdicts(connection, policy.Name, cancellationToken, tx);
            if (v.Count > 0)
            {
                verdicts[policy.Name] = v;
            }

            transitions.AddRange(ReadTransitions(connection, policy.Name, cancellationToken, tx));
        }

        var profiles = new List<WorkloadProfile>();
        using (var cmd = Command(connection, tx, "SELECT fingerprint, description, characteristics, created_at FROM workload_profiles ORDER BY fingerprint;"))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                profiles.Add(ReadProfile(reader));
            }
        }

        var runs = new List<RunRecord>();
        foreach (var profile in profiles)
        {
            runs.AddRange(ReadRuns(connection, profile.Fingerprint, cancellationToken, tx));
        }

        tx.Commit();
        return new RepositorySnapshot
        {
            ExportedAt = _time.GetUtcNow(),
            Policies = policies,
            Verdicts = verdicts,
            Transitions = transitions,
            Profiles = profiles,
            Runs = runs,
        };
    }, cancellationToken);

    /// <inheritdoc />
    public Task ImportAsync(RepositorySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Run(() => Write((connection, tx) =>
        {
            foreach (var policy in snapshot.Policies)
            {
                WritePolicy(connection, tx, policy, cancellationToken);
            }

            foreach (var (name, verdicts) in snapshot.Verdicts)
            {
                InsertVerdicts(connection, tx, name, verdicts, cancellationToken);
            }

            foreach (var transition in snapshot.Transitions)
            {
                InsertTransition(connection, tx, transition, cancellationToken);
            }

            foreach (var profile in snapshot.Profiles)
            {
                InsertProfile(connection, tx, profile, cancellationToken);
            }

            var runs = 0;
            foreach (var run in snapshot.Runs)
            {
                runs += InsertRun(connection, tx, run, cancellationToken);
            }

            BumpGeneration(connection, tx, cancellationToken);
            RepositoryLog.Imported(_logger, snapshot.Policies.Count, snapshot.Profiles.Count, runs);
            return true;
        }, cancellationToken), cancellationToken);
    }

    private static Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite's async methods complete synchronously, so the work runs inline and faults the task on error.
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(work());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Task.FromException<T>(e);
        }
    }

    private T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        using var connection = Open(cancellationToken, forWrite: true);

        // BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout instead of failing at commit.
        using var tx = connection.BeginTransaction(deferred: false);
        var result = work(connection, tx);
        tx.Commit();
        return result;
    }

    private SqliteConnection Open(CancellationToken cancellationToken, bool forWrite = false)
    {
        Initialize(cancellationToken);
        return OpenCore(cancellationToken, forWrite);
    }

    private SqliteConnection OpenCore(CancellationToken cancellationToken, bool forWrite = true)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (!forWrite)
            {
                // Readers need no write settings; the busy timeout comes from the connection string's Default Timeout.
                return connection;
            }

            var pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous={(_flushEveryCommit ? "FULL" : "NORMAL")};");
            Execute(connection, null, pragmas, cancellationToken);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, sql);
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, sql);
        return cmd.ExecuteScalar();
    }

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
