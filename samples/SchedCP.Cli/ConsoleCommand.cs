using System.CommandLine;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Console.Hosting;
using SchedCP.Console.Security;

/// <summary>
/// <c>schedcp console [--http URL] [--auth-token-file PATH] [--allow-origin ORIGIN]... [--read-only] [--audit PATH]
/// [--events ID=PATH]... [--state PATH]</c>: the operator console on a loopback address, with the same token, Host and Origin rules as
/// <c>schedcp mcp --http</c> (see docs/console.md and docs/security.md).
/// </summary>
internal static class ConsoleCommand
{
    public static Command Create()
    {
        var http = new Option<string>("--http") { HelpName = "URL", DefaultValueFactory = _ => LoopbackEndpoint.DefaultUrl, Description = $"the loopback URL to listen on (default {LoopbackEndpoint.DefaultUrl})" };
        var tokenFile = new Option<string?>("--auth-token-file") { HelpName = "PATH", Description = $"the bearer token, shared with 'schedcp mcp' (else ${ConsoleBearerToken.TokenVariable}, else a fresh one printed to stderr)" };
        var origins = new Option<string[]>("--allow-origin") { HelpName = "ORIGIN", Description = "another page origin allowed to call the console, such as http://localhost:5173 (repeatable)" };
        var readOnly = new Option<bool>("--read-only") { Description = "show everything, refuse pause, resume and terminate (refusals are audited)" };
        var audit = new Option<string?>("--audit") { HelpName = "PATH", Description = "the JSON-lines audit log of lifecycle actions (default console-audit.jsonl in $XDG_DATA_HOME/schedcp or ~/.local/share/schedcp)" };
        var events = new Option<string[]>("--events") { HelpName = "ID=PATH", Description = "a runtime event log (e.g. WORKSPACE/.schedcp-runtime/events.jsonl) to replay, shown as run ID (repeatable)" };
        var state = new Option<string?>("--state") { HelpName = "PATH", Description = "the runtimes' state file (as given to 'schedcp optimize --state') whose runs and artifacts to show, those of ended and killed runs included" };
        var command = new Command("console", "the operator console: live pages and an audited HTTP API over agents, work-unit queues, loops, DAGs and recorded runs, on loopback")
        {
            http, tokenFile, origins, readOnly, audit, events, state,
        };
        command.SetCliAction(async (parsed, cancellation) =>
        {
            var url = parsed.GetValue(http)!;
            var endpoint = LoopbackEndpoint.Parse(url)
                ?? throw new ArgumentException($"--http {url}: give http://ADDRESS:PORT with an address in 127.0.0.0/8 or [::1] and no path, e.g. {LoopbackEndpoint.DefaultUrl}; put a TLS reverse proxy in front to reach it from elsewhere.");
            var token = ConsoleBearerToken.Resolve(parsed.GetValue(tokenFile));
            if (token.Token is null)
            {
                throw new ArgumentException(token.Problem);
            }

            var logs = new List<(string Id, string Path)>();
            foreach (var spec in parsed.GetValue(events) ?? [])
            {
                var at = spec.IndexOf('=', StringComparison.Ordinal);
                logs.Add(at > 0 && SchedCP.Console.Api.ConsoleIds.IsValid(spec[..at])
                    ? (spec[..at], spec[(at + 1)..])
                    : throw new ArgumentException($"--events {spec}: give ID=PATH with an id of letters, digits and ._:- (at most 64)."));
            }

            var auditPath = parsed.GetValue(audit) ?? Path.Combine(Cli.DataFolder(), "console-audit.jsonl");
            await using var console = await SchedCPConsoleHost.StartAsync(endpoint, o =>
            {
                o.BearerToken = token.Token;
                o.ReadOnly = parsed.GetValue(readOnly);
                o.AuditLogPath = auditPath;
                foreach (var origin in parsed.GetValue(origins) ?? [])
                {
                    o.AllowedOrigins.Add(origin.TrimEnd('/'));
                }
            }, cancellationToken: cancellation);
            foreach (var (id, path) in logs)
            {
                if (console.AddEventLog(id, path) is { } problem)
                {
                    await Console.Error.WriteLineAsync($"schedcp console: --events {id}: {problem}");
                    return 1;
                }
            }

            if (parsed.GetValue(state) is { } statePath)
            {
                if (!File.Exists(statePath))
                {
                    await Console.Error.WriteLineAsync($"schedcp console: --state {statePath}: no such file; give the file a runtime was started with.");
                    return 1;
                }

                console.Feed.AttachState(RuntimeRecordStore.Sqlite(statePath));
            }

            var from = token.Generated ? $" {token.Token}" : $" from {parsed.GetValue(tokenFile) ?? ConsoleBearerToken.TokenVariable}";
            await Console.Error.WriteLineAsync($"schedcp console: listening on {console.Address} (log in with the token{from}); audit log {auditPath}; Ctrl-C stops.");
            await console.WaitForShutdownAsync(cancellation);
            return 0;
        });
        return command;
    }
}
