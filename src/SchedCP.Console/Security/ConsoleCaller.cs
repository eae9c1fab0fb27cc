using System.Security.Claims;

namespace SchedCP.Console.Security;

/// <summary>Who made a console request, as the audit log records it; the claim types are the MCP server's, so one audit reader reads both.</summary>
/// <param name="Transport">How the request arrived: <c>http</c> with a bearer header, or <c>http-cookie</c> from the browser page.</param>
/// <param name="RemoteEndpoint">The peer's address and port.</param>
/// <param name="BearerSha256">The first 16 hex digits of the SHA-256 of the token the caller presented; never the token.</param>
public sealed record ConsoleCaller(string Transport, string? RemoteEndpoint, string? BearerSha256)
{
    /// <summary>The claim type carrying <see cref="Transport"/>.</summary>
    public const string TransportClaim = "schedcp:transport";

    /// <summary>The claim type carrying <see cref="RemoteEndpoint"/>.</summary>
    public const string RemoteEndpointClaim = "schedcp:remote";

    /// <summary>The claim type carrying <see cref="BearerSha256"/>.</summary>
    public const string BearerClaim = "schedcp:bearer-sha256";

    /// <summary>The caller a request's user carries, or an anonymous one (never seen past the guard).</summary>
    /// <param name="user">The request's user.</param>
    /// <returns>The caller.</returns>
    public static ConsoleCaller From(ClaimsPrincipal? user) =>
        new(user?.FindFirst(TransportClaim)?.Value ?? "anonymous", user?.FindFirst(RemoteEndpointClaim)?.Value, user?.FindFirst(BearerClaim)?.Value);
}
