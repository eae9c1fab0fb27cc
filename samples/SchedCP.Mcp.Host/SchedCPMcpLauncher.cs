using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SchedCP.Mcp;

namespace SchedCP.Mcp.Hosting;

/// <summary>
/// Runs the SchedCP MCP server over stdio (default) or streamable HTTP on a loopback address.
/// Arguments: [--read-only] [--http [URL]] [--db PATH] [--audit PATH] [--trusted-key PEM] [--signing-key PEM] [--target auto|host|sandbox].
/// </summary>
public static class SchedCPMcpLauncher
{
    /// <summary>The HTTP address used when --http has no URL.</summary>
    public const string DefaultHttpUrl = "http://127.0.0.1:3001";

    public const string Usage = "usage: mcp [--read-only] [--http [URL]] [--db PATH] [--audit PATH] [--trusted-key PEM] [--signing-key PEM] [--target auto|host|sandbox]   (HTTP listens on loopback only; default " + DefaultHttpUrl + ")";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = new SchedCPMcpOptions();
        string? httpUrl = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            try
            {
                switch (args[i])
                {
                    case "--read-only": options.ReadOnly = true; break;
                    case "--http": httpUrl = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : DefaultHttpUrl; break;
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
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }
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

        if (!Uri.TryCreate(httpUrl, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !IPAddress.TryParse(uri.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            await Console.Error.WriteLineAsync($"--http {httpUrl}: the server listens on a loopback address only, e.g. {DefaultHttpUrl}; put a TLS reverse proxy in front to reach it from elsewhere.").ConfigureAwait(false);
            return 2;
        }

        var web = WebApplication.CreateBuilder();
        web.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        web.WebHost.UseUrls(httpUrl);
        web.Services.AddMcpServer().WithHttpTransport().AddSchedCPMcp(Apply(options));
        var app = web.Build();
        app.MapMcp();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
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
