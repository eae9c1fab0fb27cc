namespace SchedCP.Repository;

/// <summary>The SQLite schema, one script per version. Append new versions; never edit a released one.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<string> Scripts { get; } =
    [
        // Version 1.
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO meta(key, value) VALUES ('policy_generation', 0);
        CREATE TABLE policies(
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            lifecycle TEXT NOT NULL,
            origin TEXT NOT NULL,
            version TEXT NOT NULL,
            source_sha256 TEXT,
            document TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE verdicts(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            policy_name TEXT NOT NULL REFERENCES policies(name) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            passed INTEGER NOT NULL,
            reason TEXT NOT NULL,
            log TEXT NOT NULL,
            recorded_at TEXT NOT NULL);
        CREATE INDEX ix_verdicts_policy ON verdicts(policy_name, id);
        CREATE TABLE transitions(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            policy_name TEXT NOT NULL REFERENCES policies(name) ON DELETE CASCADE,
            from_state TEXT,
            to_state TEXT NOT NULL,
            reason TEXT NOT NULL,
            receipt_id TEXT,
            at TEXT NOT NULL);
        CREATE INDEX ix_transitions_policy ON transitions(policy_name, id);
        CREATE TABLE workload_profiles(
            fingerprint TEXT PRIMARY KEY,
            description TEXT NOT NULL,
            characteristics TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE runs(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL UNIQUE,
            fingerprint TEXT NOT NULL REFERENCES workload_profiles(fingerprint),
            policy_name TEXT NOT NULL,
            parameters TEXT NOT NULL,
            session_id TEXT NOT NULL,
            repeat INTEGER NOT NULL,
            is_baseline INTEGER NOT NULL,
            makespan_s REAL,
            throughput REAL,
            latency_p50_us REAL,
            latency_p95_us REAL,
            latency_p99_us REAL,
            cpu_util REAL,
            run_delay_us REAL,
            recorded_at TEXT NOT NULL);
        CREATE INDEX ix_runs_workload ON runs(fingerprint, id);
        """,
    ];
}
