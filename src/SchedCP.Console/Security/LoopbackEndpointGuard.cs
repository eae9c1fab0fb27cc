using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SchedCP.Console.Security;

/// <summary>
/// The checks every console request passes first, the same as the MCP HTTP server's: the Host header must name this
/// loopback endpoint (defeats DNS rebinding), an Origin header, when present, must be this endpoint's own origin or one
/// allowed explicitly (403 otherwise), and the request must carry <c>Authorization: Bearer</c> with the server's token,
/// compared in constant time (401 otherwise). A browser cannot put a header on <c>EventSource</c>, so the page logs in
/// once with the token and then carries an HttpOnly, SameSite=Strict cookie derived from it; a cookie-authenticated
/// request that changes state must also carry <see cref="ActionHeader"/>, which a cross-site form cannot send.
/// </summary>
public sealed class LoopbackEndpointGuard
{
    /// <summary>The cookie the login page sets.</summary>
    public const string CookieName = "schedcp_console";

    /// <summary>The header the page's script sends with every lifecycle action.</summary>
    public const string ActionHeader = "X-SchedCP-Console";

    /// <summary>The login page, reachable without a token (Host and Origin are still checked).</summary>
    public const string LoginPath = "/login";

    private readonly Func<IReadOnlyList<IPEndPoint>> _boundEndpoints;
    private readonly IReadOnlyList<string> _extraOrigins;
    private readonly byte[] _tokenSha256;
    private readonly byte[] _cookieSha256;
    private readonly string _tokenDigest;
    private volatile Allowed? _allowed;

    /// <summary>Creates the guard.</summary>
    /// <param name="boundEndpoints">Where the server listens (read on the first request, once the server is bound); every one must be loopback.</param>
    /// <param name="bearerToken">The token clients present.</param>
    /// <param name="allowedOrigins">Origins allowed besides this endpoint's own (scheme, host and port, no path).</param>
    public LoopbackEndpointGuard(Func<IReadOnlyList<IPEndPoint>> boundEndpoints, string bearerToken, IEnumerable<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(boundEndpoints);
        ArgumentException.ThrowIfNullOrEmpty(bearerToken);
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        _boundEndpoints = boundEndpoints;
        _extraOrigins = [.. allowedOrigins.Select(o => o.TrimEnd('/'))];
        _tokenSha256 = SHA256.HashData(Encoding.UTF8.GetBytes(bearerToken));
        _tokenDigest = Convert.ToHexStringLower(_tokenSha256)[..16];
        CookieValue = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("schedcp-console-cookie\n" + bearerToken)));
        _cookieSha256 = SHA256.HashData(Encoding.UTF8.GetBytes(CookieValue));
    }

    /// <summary>The cookie value a successful login sets: derived from the token, so the cookie is useless as a bearer token elsewhere.</summary>
    internal string CookieValue { get; }

    /// <summary>Whether <paramref name="presented"/> is the token, in constant time.</summary>
    /// <param name="presented">What the caller sent.</param>
    /// <returns>True when it matches.</returns>
    public bool IsToken(string? presented) =>
        presented is { Length: > 0 and <= 4096 } && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _tokenSha256);

    /// <summary>The middleware: refuses with 403 or 401, or passes the request on with its caller set.</summary>
    /// <param name="context">The request.</param>
    /// <param name="next">The rest of the pipeline.</param>
    /// <returns>A task.</returns>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var allowed = _allowed ?? Resolve();
        if (!allowed.Unbound)
        {
            // Addresses do not change once bound; an unbound answer is asked again next time.
            _allowed = allowed;
        }

        if (allowed.Problem is { } problem)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, problem).ConfigureAwait(false);
            return;
        }

        var host = context.Request.Headers.Host.ToString();
        if (!allowed.Hosts.Contains(host))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"Host '{Shorten(host)}' is not this loopback endpoint; connect to {allowed.Hosts.First()}.").ConfigureAwait(false);
            return;
        }

        var origin = context.Request.Headers.Origin;
        if (origin.Count > 0 && !allowed.Origins.Contains(origin.ToString().TrimEnd('/')))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"Origin '{Shorten(origin.ToString())}' is not allowed; start the console with --allow-origin ORIGIN to allow another page.").ConfigureAwait(false);
            return;
        }

        if (context.Request.Path.Equals(LoginPath, StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : "unknown";
        const string Scheme = "Bearer ";
        var authorization = context.Request.Headers.Authorization.ToString();
        string? transport = null;
        if (authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            transport = IsToken(authorization[Scheme.Length..].Trim()) ? "http" : null;
        }
        else if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && cookie is { Length: 64 }
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(cookie)), _cookieSha256))
        {
            var safe = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            if (!safe && context.Request.Headers[ActionHeader].Count == 0)
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, $"A change from the page must carry the {ActionHeader} header (the console's script sends it).").ConfigureAwait(false);
                return;
            }

            transport = "http-cookie";
        }

        if (transport is null)
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
            {
                context.Response.Redirect(LoginPath);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"schedcp-console\"";
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "A bearer token is required: send 'Authorization: Bearer TOKEN' with the token the console printed at start (the same as the MCP server's), or log in at /login.").ConfigureAwait(false);
            return;
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ConsoleCaller.TransportClaim, transport), new Claim(ConsoleCaller.RemoteEndpointClaim, remote), new Claim(ConsoleCaller.BearerClaim, _tokenDigest)],
            "SchedCPBearer"));
        await next(context).ConfigureAwait(false);
    }

    private Allowed Resolve()
    {
        var endpoints = _boundEndpoints();
        if (endpoints.Count == 0)
        {
            return new Allowed([], [], "The console is not bound to an address yet.", Unbound: true);
        }

        if (endpoints.FirstOrDefault(e => !IPAddress.IsLoopback(e.Address) || e.Address.IsIPv4MappedToIPv6) is { } open)
        {
            return new Allowed([], [], $"The console listens on {open}, which is not a loopback address; it serves loopback only (put a TLS reverse proxy in front to reach it from elsewhere).");
        }

        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints)
        {
            hosts.Add($"{LoopbackEndpoint.UrlHost(endpoint.Address)}:{endpoint.Port}");
            hosts.Add($"localhost:{endpoint.Port}");
        }

        var origins = new HashSet<string>(hosts.Select(h => "http://" + h), StringComparer.OrdinalIgnoreCase);
        origins.UnionWith(_extraOrigins);
        return new Allowed(hosts, origins, null);
    }

    internal static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "...";

    private sealed record Allowed(HashSet<string> Hosts, HashSet<string> Origins, string? Problem, bool Unbound = false);
}
