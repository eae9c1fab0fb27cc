using System.ComponentModel.DataAnnotations;

namespace SchedCP.Mcp;

/// <summary>How the SchedCP MCP server runs. Defaults are safe for a workstation: mutations allowed, audited to a file next to the database.</summary>
public sealed class SchedCPMcpOptions
{
    /// <summary>The SQLite policy repository file. Default <c>schedcp-repository.db</c> in the working directory.</summary>
    [Required]
    public string DatabasePath { get; set; } = "schedcp-repository.db";

    /// <summary>When set, every tool that changes the machine or the repository is refused. Default <see langword="false"/>.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The append-only JSON-lines audit log of mutating calls. Default <c>schedcp-mcp-audit.jsonl</c>.</summary>
    [Required]
    public string AuditLogPath { get; set; } = "schedcp-mcp-audit.jsonl";

    /// <summary>A PEM file with the verifier's public key that deployment tokens must be signed with; without it no token is accepted.</summary>
    public string? TrustedKeyPath { get; set; }

    /// <summary>
    /// A PEM file with the verifier's private signing key. When set, a policy that passes <c>verify</c> at the kernel or
    /// sandbox stage comes back with a deployment token for this host, and that key's public half is trusted by
    /// <c>deploy</c> (unless <see cref="TrustedKeyPath"/> names another). Keep the file readable by the server only.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// Where kernel tools run: <see cref="SchedulerTarget.Auto"/> (default) uses this host when it can attach sched_ext
    /// schedulers and the sandbox otherwise; <see cref="SchedulerTarget.Host"/> and <see cref="SchedulerTarget.Sandbox"/> force one.
    /// </summary>
    public SchedulerTarget Target { get; set; } = SchedulerTarget.Auto;

    /// <summary>The largest <c>limit</c> a listing tool accepts. Default 50.</summary>
    [Range(1, 1000)]
    public int MaxLimit { get; set; } = 50;
}

/// <summary>Where the MCP server's kernel tools (run, stop, verify at kernel depth, deploy, rollback) act.</summary>
public enum SchedulerTarget
{
    /// <summary>This host when it can attach sched_ext schedulers, otherwise a sched_ext guest in the sandbox.</summary>
    Auto,

    /// <summary>This host only; refused with advice when it has no sched_ext.</summary>
    Host,

    /// <summary>A fresh sched_ext guest per call: the scheduler attaches, runs a workload and detaches; nothing stays on this host.</summary>
    Sandbox,
}
