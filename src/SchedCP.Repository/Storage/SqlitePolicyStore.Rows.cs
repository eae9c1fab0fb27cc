using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SchedCP.Repository;

// Writing and reading the rows of each table (policies, verdicts, transitions, profiles, runs); the store's operations,
// its connections and transactions are in SqlitePolicyStore.cs.
public sealed partial class SqlitePolicyStore
{
    private static PolicyLifecycle? LifecycleOf(SqliteConnection connection, SqliteTransaction tx, string name, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, "SELECT lifecycle FROM policies WHERE name = $name;");
        cmd.Parameters.AddWithValue("$name", name);
        return cmd.ExecuteScalar() is string s ? Enum.Parse<PolicyLifecycle>(s) : null;
    }

    private void WritePolicy(SqliteConnection connection, SqliteTransaction tx, SchedulerPolicy policy, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, """
            INSERT INTO policies(name, kind, lifecycle, origin, version, source_sha256, document, updated_at)
            VALUES ($name, $kind, $lifecycle, $origin, $version, $sha, $doc, $at)
            ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, lifecycle = excluded.lifecycle, origin = excluded.origin,
                version = excluded.version, source_sha256 = excluded.source_sha256, document = excluded.document, updated_at = excluded.updated_at;
            """);
        cmd.Parameters.AddWithValue("$name", policy.Name);
        cmd.Parameters.AddWithValue("$kind", policy.Kind.ToString());
        cmd.Parameters.AddWithValue("$lifecycle", policy.Lifecycle.ToString());
        cmd.Parameters.AddWithValue("$origin", policy.Provenance.Origin.ToString());
        cmd.Parameters.AddWithValue("$version", policy.Version);
        cmd.Parameters.AddWithValue("$sha", (object?)policy.Source?.Sha256 ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(policy, RepositoryJson.Options));
        cmd.Parameters.AddWithValue("$at", Now());
        cmd.ExecuteNonQuery();
    }

    private static void BumpGeneration(SqliteConnection connection, SqliteTransaction tx, CancellationToken cancellationToken) =>
        Execute(connection, tx, "UPDATE meta SET value = value + 1 WHERE key = 'policy_generation';", cancellationToken);

    private static void InsertVerdicts(SqliteConnection connection, SqliteTransaction tx, string name, IEnumerable<VerifierVerdict> verdicts, CancellationToken cancellationToken)
    {
        foreach (var v in verdicts)
        {
            using var cmd = Command(connection, tx, "INSERT INTO verdicts(policy_name, stage, passed, reason, log, recorded_at) VALUES ($p, $s, $ok, $r, $l, $at);");
            cmd.Parameters.AddWithValue("$p", name);
            cmd.Parameters.AddWithValue("$s", v.Stage);
            cmd.Parameters.AddWithValue("$ok", v.Passed ? 1 : 0);
            cmd.Parameters.AddWithValue("$r", v.Reason);
            cmd.Parameters.AddWithValue("$l", v.Log);
            cmd.Parameters.AddWithValue("$at", Format(v.At));
            cmd.ExecuteNonQuery();
        }
    }

    private static void InsertTransition(SqliteConnection connection, SqliteTransaction tx, LifecycleTransition t, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, "INSERT INTO transitions(policy_name, from_state, to_state, reason, receipt_id, at) VALUES ($p, $f, $t, $r, $id, $at);");
        cmd.Parameters.AddWithValue("$p", t.PolicyName);
        cmd.Parameters.AddWithValue("$f", (object?)t.From?.ToString() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$t", t.To.ToString());
        cmd.Parameters.AddWithValue("$r", t.Reason);
        cmd.Parameters.AddWithValue("$id", (object?)t.ReceiptId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Format(t.At));
        cmd.ExecuteNonQuery();
    }

    private static void InsertProfile(SqliteConnection connection, SqliteTransaction tx, WorkloadProfile profile, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, "INSERT INTO workload_profiles(fingerprint, description, characteristics, created_at) VALUES ($f, $d, $c, $at) ON CONFLICT(fingerprint) DO NOTHING;");
        cmd.Parameters.AddWithValue("$f", profile.Fingerprint);
        cmd.Parameters.AddWithValue("$d", profile.Description);
        cmd.Parameters.AddWithValue("$c", JsonSerializer.Serialize(profile.Characteristics, RepositoryJson.Options));
        cmd.Parameters.AddWithValue("$at", Format(profile.CreatedAt));
        cmd.ExecuteNonQuery();
    }

    private static int InsertRun(SqliteConnection connection, SqliteTransaction tx, RunRecord run, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, """
            INSERT INTO runs(run_id, fingerprint, policy_name, parameters, session_id, repeat, is_baseline,
                makespan_s, throughput, latency_p50_us, latency_p95_us, latency_p99_us, cpu_util, run_delay_us, recorded_at)
            VALUES ($id, $f, $p, $params, $s, $rep, $base, $mk, $tp, $p50, $p95, $p99, $cpu, $rd, $at)
            ON CONFLICT(run_id) DO NOTHING;
            """);
        cmd.Parameters.AddWithValue("$id", run.RunId);
        cmd.Parameters.AddWithValue("$f", run.WorkloadFingerprint);
        cmd.Parameters.AddWithValue("$p", run.PolicyName);
        cmd.Parameters.AddWithValue("$params", JsonSerializer.Serialize(run.Parameters, RepositoryJson.Options));
        cmd.Parameters.AddWithValue("$s", run.SessionId);
        cmd.Parameters.AddWithValue("$rep", run.Repeat);
        cmd.Parameters.AddWithValue("$base", run.IsBaseline ? 1 : 0);
        var m = run.Metrics;
        cmd.Parameters.AddWithValue("$mk", (object?)m.MakespanSeconds ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$tp", (object?)m.Throughput ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$p50", (object?)m.LatencyP50Microseconds ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$p95", (object?)m.LatencyP95Microseconds ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$p99", (object?)m.LatencyP99Microseconds ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$cpu", (object?)m.CpuUtilisation ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$rd", (object?)m.RunDelayMicroseconds ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Format(run.RecordedAt));
        return cmd.ExecuteNonQuery();
    }

    private static List<SchedulerPolicy> ListPoliciesCore(SqliteConnection connection, SqliteTransaction? tx, CancellationToken cancellationToken)
    {
        using var cmd = Command(connection, tx, "SELECT document FROM policies ORDER BY name;");
        using var reader = cmd.ExecuteReader();
        var policies = new List<SchedulerPolicy>();
        while (reader.Read())
        {
            policies.Add(JsonSerializer.Deserialize<SchedulerPolicy>(reader.GetString(0), RepositoryJson.Options)!);
        }

        return policies;
    }

    private static List<VerifierVerdict> ReadVerdicts(SqliteConnection connection, string name, CancellationToken cancellationToken, SqliteTransaction? tx = null) =>
        ReadPolicyRows(connection, tx, "SELECT stage, passed, reason, log, recorded_at FROM verdicts WHERE policy_name = $p ORDER BY id;", name,
            r => new VerifierVerdict(r.GetString(0), r.GetInt64(1) != 0, r.GetString(2), r.GetString(3), ParseTime(r.GetString(4))));

    private static List<LifecycleTransition> ReadTransitions(SqliteConnection connection, string name, CancellationToken cancellationToken, SqliteTransaction? tx = null) =>
        ReadPolicyRows(connection, tx, "SELECT from_state, to_state, reason, receipt_id, at FROM transitions WHERE policy_name = $p ORDER BY id;", name,
            r => new LifecycleTransition(name, r.IsDBNull(0) ? null : Enum.Parse<PolicyLifecycle>(r.GetString(0)), Enum.Parse<PolicyLifecycle>(r.GetString(1)),
                r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), ParseTime(r.GetString(4))));

    /// <summary>The rows of one policy's child table, in insertion order, each read by <paramref name="read"/>.</summary>
    private static List<T> ReadPolicyRows<T>(SqliteConnection connection, SqliteTransaction? tx, string sql, string name, Func<SqliteDataReader, T> read)
    {
        using var cmd = Command(connection, tx, sql);
        cmd.Parameters.AddWithValue("$p", name);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(read(reader));
        }

        return list;
    }

    private static WorkloadProfile ReadProfile(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2), RepositoryJson.Options)!,
        ParseTime(reader.GetString(3)));

    private static List<RunRecord> ReadRuns(SqliteConnection connection, string fingerprint, CancellationToken cancellationToken, SqliteTransaction? tx = null)
    {
        using var cmd = Command(connection, tx, """
            SELECT run_id, fingerprint, policy_name, parameters, session_id, repeat, is_baseline,
                makespan_s, throughput, latency_p50_us, latency_p95_us, latency_p99_us, cpu_util, run_delay_us, recorded_at
            FROM runs WHERE fingerprint = $f ORDER BY id;
            """);
        cmd.Parameters.AddWithValue("$f", fingerprint);
        using var reader = cmd.ExecuteReader();
        var list = new List<RunRecord>();
        while (reader.Read())
        {
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            list.Add(new RunRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3), RepositoryJson.Options)!,
                reader.GetString(4),
                reader.GetInt32(5),
                reader.GetInt64(6) != 0,
                new RunMetrics(D(7), D(8), D(9), D(10), D(11), D(12), D(13)),
                ParseTime(reader.GetString(14))));
        }

        return list;
    }
}
