using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using SchedCP.Mcp.Safety;

namespace SchedCP.Mcp.Hosting;

/// <summary>
/// The checks every HTTP request passes before it reaches the MCP layer: the Host header must name this loopback
/// endpoint (defeats DNS rebinding), an Origin header, when present, must be a loopback origin of this endpoint or one
/// allowed with <c>--allow-origin</c> (403 otherwise), and the request must carry <c>Authorization: Bearer</c> with this
/// server's token, compared in constant time (401 otherwise). An admitted request's user carries the caller for the audit log.
/// </summary>
public sealed class LoopbackEndpointGuard
{
    private readonly HashSet<string> _hosts;
    private readonly HashSet<string> _origins;
    private readonly byte[] _tokenSha256;
    private readonly string _tokenDigest;

    /// <summary>Creates the guard for an endpoint on <paramref name="boundHost"/>:<paramref name="port"/>.</summary>
    /// <param name="boundHost">The bound host as it appears in a URL (<c>127.0.0.1</c>, <c>[::1]</c>).</param>
    /// <param name="port">The bound port.</param>
    /// <param name="bearerToken">The token clients must present.</param>
    /// <param name="allowedOrigins">Origins allowed besides this endpoint's own loopback origins.</param>
    public LoopbackEndpointGuard(string boundHost, int port, string bearerToken, IEnumerable<string> allowedOrigins)
    {
        ArgumentException.ThrowIfNullOrEmpty(bearerToken);
        _hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { $"{boundHost}:{port}", $"localhost:{port}", $"127.0.0.1:{port}", $"[::1]:{port}" };
        _origins = new HashSet<string>(_hosts.Select(h => "http://" + h), StringComparer.OrdinalIgnoreCase);
        foreach (var origin in allowedOrigins)
        {
            _origins.Add(origin.TrimEnd('/'));
        }

        _tokenSha256 = SHA256.HashData(Encoding.UTF8.GetBytes(bearerToken));
        _tokenDigest = Convert.ToHexStringLower(_tokenSha256)[..16];
    }

    /// <summary>The middleware: refuses with 403 or 401, or passes the request on with its caller set.</summary>
    /// <param name="context">The request.</param>
    /// <param name="next">The rest of the pipeline.</param>
    /// <returns>A task.</returns>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var host = context.Request.Headers.Host.ToString();
        if (!_hosts.Contains(host))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"Host '{Shorten(host)}' is not this loopback endpoint; connect to {_hosts.First()}.").ConfigureAwait(false);
            return;
        }

        if (context.Request.Headers.Origin.Count > 0 && !_origins.Contains(context.Request.Headers.Origin.ToString().TrimEnd('/')))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"Origin '{Shorten(context.Request.Headers.Origin.ToString())}' is not allowed; start the server with --allow-origin ORIGIN to allow a browser client.").ConfigureAwait(false);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var presented = authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization[Scheme.Length..].Trim() : "";
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _tokenSha256) || presented.Length == 0)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"schedcp-mcp\"";
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "A bearer token is required: send 'Authorization: Bearer TOKEN' with the token the server printed at start (or the one in --auth-token-file).").ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : "unknown";
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(AuditCaller.TransportClaim, "http"), new Claim(AuditCaller.RemoteEndpointClaim, remote), new Claim(AuditCaller.BearerClaim, _tokenDigest)],
            "SchedCPBearer"));
        await next(context).ConfigureAwait(false);
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
