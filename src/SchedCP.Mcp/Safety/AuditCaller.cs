using System.Security.Claims;

namespace SchedCP.Mcp.Safety;

/// <summary>Who made a tool call, as the audit log records it.</summary>
/// <param name="Transport">How the call arrived: <c>stdio</c> or <c>http</c>.</param>
/// <param name="RemoteEndpoint">The peer's address and port over HTTP; null over stdio.</param>
/// <param name="BearerSha256">The first 16 hex digits of the SHA-256 of the bearer token the caller presented; never the token.</param>
public sealed record AuditCaller(string Transport, string? RemoteEndpoint, string? BearerSha256)
{
    /// <summary>The claim type carrying <see cref="Transport"/> on an authenticated HTTP request.</summary>
    public const string TransportClaim = "schedcp:transport";

    /// <summary>The claim type carrying <see cref="RemoteEndpoint"/>.</summary>
    public const string RemoteEndpointClaim = "schedcp:remote";

    /// <summary>The claim type carrying <see cref="BearerSha256"/>.</summary>
    public const string BearerClaim = "schedcp:bearer-sha256";

    /// <summary>A caller on the standard streams.</summary>
    public static AuditCaller Stdio { get; } = new("stdio", null, null);

    /// <summary>The caller a request's user carries (set by the HTTP endpoint's authentication), or <see cref="Stdio"/>.</summary>
    /// <param name="user">The request's user, if any.</param>
    /// <returns>The caller.</returns>
    public static AuditCaller From(ClaimsPrincipal? user) =>
        user?.FindFirst(TransportClaim)?.Value is { } transport
            ? new AuditCaller(transport, user.FindFirst(RemoteEndpointClaim)?.Value, user.FindFirst(BearerClaim)?.Value)
            : Stdio;
}

/// <summary>
/// The tool call in progress on this async flow: set around each call by the server's call filter, so the guard's
/// decision and the call's outcome land in the audit log with the same id and caller.
/// </summary>
public sealed class AuditedCall
{
    private static readonly AsyncLocal<AuditedCall?> CurrentCall = new();

    /// <summary>Creates a call record.</summary>
    /// <param name="id">A unique id for the call.</param>
    /// <param name="tool">The tool's name.</param>
    /// <param name="caller">Who called.</param>
    public AuditedCall(string id, string tool, AuditCaller caller)
    {
        Id = id;
        Tool = tool;
        Caller = caller;
    }

    /// <summary>The call on this flow, or null outside a tool call.</summary>
    public static AuditedCall? Current
    {
        get => CurrentCall.Value;
        set => CurrentCall.Value = value;
    }

    /// <summary>The call's id.</summary>
    public string Id { get; }

    /// <summary>The tool.</summary>
    public string Tool { get; }

    /// <summary>Who called.</summary>
    public AuditCaller Caller { get; }

    /// <summary>The digest of the arguments the guard recorded.</summary>
    public string? ArgumentsSha256 { get; set; }

    /// <summary>True once the guard wrote a decision for this call (then the outcome is written too).</summary>
    public bool Decided { get; set; }
}
