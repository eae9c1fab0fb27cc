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

    /// <summary>The largest <c>limit</c> a listing tool accepts. Default 50.</summary>
    [Range(1, 1000)]
    public int MaxLimit { get; set; } = 50;
}
