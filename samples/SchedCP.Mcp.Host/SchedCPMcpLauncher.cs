using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SchedCP.Mcp;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Mcp.Hosting;

/// <summary>
/// Runs the SchedCP MCP server over stdio (default) or streamable HTTP on a loopback address.
/// Arguments: [--read-only] [--http [URL]] [--auth-token-file PATH] [--allow-origin ORIGIN]... [--db PATH] [--audit PATH]
/// [--trusted-key PEM] [--signing-key PEM] [--target auto|host|sandbox]. Over HTTP every request needs the bearer token
/// (from --auth-token-file, else <see cref="TokenVariable"/>, else a fresh one printed to stderr) and a Host (and Origin,
/// when sent) naming this loopback endpoint.
/// </summary>
public static class SchedCPMcpLauncher
{
    /// <summary>The HTTP address used when --http has no URL.</summary>
    public const string DefaultHttpUrl = "http://127.0.0.1:3001";

    /// <summary>The environment variable that may hold the HTTP bearer token.</summary>
    public const string TokenVariable = "SCHEDCP_MCP_TOKEN";

    /// <summary>The command line.</summary>
    public const string Usage = "usage: mcp [--read-only] [--http [URL]] [--auth-token-file PATH] [--allow-origin ORIGIN]... [--db PATH] [--audit PATH] [--trusted-key PEM] [--signing-key PEM] [--target auto|host|sandbox]   (HTTP listens on loopback only, e.g. " + DefaultHttpUrl + ", and requires the bearer token)";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = new SchedCPMcpOptions();
        string? httpUrl = null;
        string? tokenFile = null;
        var origins = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            try
            {
                switch (args[i])
                {
                    case "--read-only": options.ReadOnly = true; break;
                    case "--http": httpUrl = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : DefaultHttpUrl; break;
                    case "--auth-token-file": tokenFile = Value(); break;
                    case "--allow-origin":
                        var origin = Value();
                        origins.Add(Uri.TryCreate(origin, UriKind.Absolute, out var o) && (o.Scheme == "http" || o.Scheme == "https") && o.PathAndQuery == "/" && origin.Count(c => c == '/') <= 3
                            ? origin.TrimEnd('/')
                            : throw new ArgumentException($"--allow-origin {origin}: give an origin such as http://localhost:5173 (scheme, host and port, no path). {Usage}"));
                        break;
                    case "--db": options.DatabasePath = Value(); break;
                    case "--audit": options.AuditLogPath = Value(); break;
                    case "--trusted-key": options.TrustedKeyPath = Value(); break;
                    case "--signing-key": options.SigningKeyPath = Value(); break;
                    case "--target":
                        var target = Value();
                        options.Target = Enum.TryParse<SchedulerTarget>(target, ignoreCase: true, out var t) && !int.TryParse(target, out _)
                            ? t
                            : throw new ArgumentException($"--target {target}: use auto, host or sandbox. {Usage}");
                        break;
                    default: throw new ArgumentException($"unknown option '{args[i]}'. {Usage}");
                }
            }
            catch (ArgumentException e)
            {
                await System.Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }
        }

        if (options.SigningKeyPath is { } signingKey && SigningKeyStore.Load(signingKey) is { Succeeded: false } refused)
        {
            await System.Console.Error.WriteLineAsync($"--signing-key: {refused.Problem} {refused.Remedy}").ConfigureAwait(false);
            return 2;
        }

        if (httpUrl is null)
        {
            var builder = Host.CreateApplicationBuilder();
            // stdout carries the protocol: every log line goes to stderr.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.AddMcpServer().WithStdioServerTransport().AddSchedCPMcp(Apply(options));
            await builder.Build().RunAsync().ConfigureAwait(false);
            return 0;
        }

        if (ParseEndpoint(httpUrl) is not { } endpoint)
        {
            await System.Console.Error.WriteLineAsync($"--http {httpUrl}: the server listens on a loopback address only: give http://ADDRESS:PORT with an address in 127.0.0.0/8 or [::1] and no path, e.g. {DefaultHttpUrl}; put a TLS reverse proxy in front to reach it from elsewhere.").ConfigureAwait(false);
            return 2;
        }

        var bearer = await BearerTokenAsync(tokenFile).ConfigureAwait(false);
        if (bearer.Token is null)
        {
            await System.Console.Error.WriteLineAsync(bearer.Problem).ConfigureAwait(false);
            return 2;
        }

        if (bearer.Generated)
        {
            await System.Console.Error.WriteLineAsync($"schedcp mcp: clients must send 'Authorization: Bearer {bearer.Token}' (or start with --auth-token-file / {TokenVariable} to choose the token)").ConfigureAwait(false);
        }

        var web = WebApplication.CreateBuilder();
        web.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        web.WebHost.ConfigureKestrel(k => k.Listen(endpoint.Address, endpoint.Port));
        web.Services.AddMcpServer().WithHttpTransport().AddSchedCPMcp(Apply(options));
        var app = web.Build();
        var guard = new LoopbackEndpointGuard(endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString(), endpoint.Port, bearer.Token, origins);
        app.Use(guard.InvokeAsync);
        app.MapMcp();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// The loopback endpoint an <c>--http</c> URL names: <c>http</c>, an address literal in 127.0.0.0/8 or <c>::1</c>, a
    /// port, and no path, query, fragment or user info. IPv4-mapped IPv6 addresses and host names are refused.
    /// </summary>
    /// <param name="url">The URL.</param>
    /// <returns>The endpoint, or null.</returns>
    public static IPEndPoint? ParseEndpoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || uri.AbsolutePath != "/")
        {
            return null;
        }

        return IPAddress.TryParse(uri.DnsSafeHost, out var address) && !address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address) && uri.Port is > 0 and < 65536
            ? new IPEndPoint(address, uri.Port)
            : null;
    }

    private static async Task<(string? Token, bool Generated, string? Problem)> BearerTokenAsync(string? file)
    {
        if (file is not null)
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.LinkTarget is not null)
            {
                return (null, false, $"--auth-token-file {file}: not a regular file. Write the token to a file with mode 0600.");
            }

            if (!OperatingSystem.IsWindows() && (info.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                return (null, false, $"--auth-token-file {file}: readable or writable by group or others. Run 'chmod 600 {file}'.");
            }

            var text = (await File.ReadAllTextAsync(file).ConfigureAwait(false)).Trim();
            return text.Length >= 16 ? (text, false, null) : (null, false, $"--auth-token-file {file}: the token must be at least 16 characters. Generate one with 'head -c 32 /dev/urandom | base64'.");
        }

        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } env)
        {
            return env.Trim().Length >= 16 ? (env.Trim(), false, null) : (null, false, $"{TokenVariable}: the token must be at least 16 characters.");
        }

        return (Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'), true, null);
    }

    private static Action<SchedCPMcpOptions> Apply(SchedCPMcpOptions from) => to =>
    {
        to.ReadOnly = from.ReadOnly;
        to.DatabasePath = from.DatabasePath;
        to.AuditLogPath = from.AuditLogPath;
        to.TrustedKeyPath = from.TrustedKeyPath;
        to.SigningKeyPath = from.SigningKeyPath;
        to.Target = from.Target;
    };
}
