using System.ComponentModel.DataAnnotations;
using SchedCP.Agents.Runtime.Agents;

namespace SchedCP.Agents.Runtime;

/// <summary>Settings of an agent runtime. Validated when the runtime is built; a failure names the field.</summary>
public sealed class AgentRuntimeOptions
{
    /// <summary>The directory agents work in; every path is relative to it. Required.</summary>
    [Required]
    public string WorkspaceRoot { get; set; } = string.Empty;

    /// <summary>How long a lease lives without a heartbeat. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan DefaultLeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A process run is killed after this long unless the request says otherwise. Default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan DefaultProcessTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Environment variables a process may see; everything else is removed. Default PATH, HOME, LANG, LC_ALL, TMPDIR.</summary>
    [Required]
    public IList<string> ProcessEnvironmentAllowList { get; } = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"];

    /// <summary>Captured stdout and stderr are each cut to this many characters. Default 1,000,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxCapturedOutputChars { get; set; } = 1_000_000;

    /// <summary>
    /// The JSON-lines event log. Relative paths are under <see cref="WorkspaceRoot"/>. Default
    /// ".schedcp-runtime/events.jsonl"; that folder is reserved and agents cannot touch it. Set null to keep
    /// events in memory only.
    /// </summary>
    public string? EventLogPath { get; set; } = ".schedcp-runtime/events.jsonl";

    /// <summary>Seed of the random numbers agents draw (recorded, so replays see the same values). Default 1.</summary>
    public int RandomSeed { get; set; } = 1;

    /// <summary>What happens to a failed agent's changes. Default <see cref="FailedAgentChangePolicy.RollBack"/>.</summary>
    public FailedAgentChangePolicy FailedAgentChanges { get; set; } = FailedAgentChangePolicy.RollBack;

    /// <summary>The capacity of the live event stream; slow readers lose the oldest events. Default 10,000.</summary>
    [Range(1, int.MaxValue)]
    public int EventStreamCapacity { get; set; } = 10_000;

    /// <summary>The longest artifact content kept (diffs, process output, published artifacts), in UTF-16 chars. Default 16,000,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxArtifactChars { get; set; } = Artifacts.ArtifactStore.DefaultMaxContentChars;

    /// <summary>
    /// The SQLite file holding the runtime's state: leases, waiting claims, the fencing counter, artifacts, agent memory and run records. Relative paths are under
    /// <see cref="WorkspaceRoot"/>. Default null: the state lives in this runtime's memory. Give several
    /// runtimes (in one process or many) the same file and they share one lock table: a unit one of them holds
    /// is held for all, fencing tokens keep increasing across restarts, and a crashed runtime's leases expire and
    /// are reclaimed; artifacts, memory and runs written by one are read by all, and outlive a crash. See docs/runtime-state.md.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>
    /// An Npgsql connection string of a PostgreSQL database holding the runtime's state (as <see cref="StatePath"/>), for runtimes on several machines
    /// (give each shared table its own schema with <c>Search Path=…</c>). Default null. When set it wins over
    /// <see cref="StatePath"/>. The machines' clocks must agree to well within <see cref="DefaultLeaseTtl"/>.
    /// </summary>
    public string? StateConnectionString { get; set; }

    /// <summary>
    /// With <see cref="StatePath"/> or <see cref="StateConnectionString"/>: the name that keeps this runtime's agents apart from same-named agents of other
    /// runtimes sharing the file ("observation" here and "observation" in another process are different holders).
    /// Default null: a fresh name per runtime. Set the same value in two runtimes only to make their agents one holder.
    /// </summary>
    public string? StateHolderScope { get; set; }

    /// <summary>Keeps the lock table, artifacts, memory and runs in a SQLite file shared with every runtime that names the same file (sets <see cref="StatePath"/>).</summary>
    /// <param name="path">The database file; relative paths are under <see cref="WorkspaceRoot"/>.</param>
    /// <returns>These options.</returns>
    public AgentRuntimeOptions UseSqliteState(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        StatePath = path;
        return this;
    }

    /// <summary>Keeps the lock table, artifacts, memory and runs in a PostgreSQL database shared with every runtime that connects to it (sets <see cref="StateConnectionString"/>).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>These options.</returns>
    public AgentRuntimeOptions UsePostgreSqlState(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        StateConnectionString = connectionString;
        return this;
    }

    /// <summary>The reserved folder under the workspace root that holds runtime files.</summary>
    public const string ReservedFolder = ".schedcp-runtime";

    /// <summary>Throws <see cref="ValidationException"/> naming the first invalid field (invalid options are a configuration bug).</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}
