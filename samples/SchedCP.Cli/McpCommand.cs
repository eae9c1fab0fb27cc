using System.CommandLine;
using SchedCP.Mcp.Hosting;

/// <summary>
/// <c>schedcp mcp</c>: the SchedCP MCP server, the same as samples/SchedCP.Mcp.Host. Over HTTP it listens on a loopback
/// address only, checks Host and Origin and requires a bearer token (see docs/security.md). The options are declared
/// here for help and checking; the launcher reads them from the command line as the host sample does.
/// </summary>
internal static class McpCommand
{
    public static Command Create(string[] args)
    {
        var db = CliOptions.Database();
        var audit = new Option<string?>("--audit") { HelpName = "PATH", Description = "the JSON-lines audit log of every change (default mcp-audit.jsonl in $XDG_DATA_HOME/schedcp or ~/.local/share/schedcp)" };
        var command = new Command("mcp", "the control plane as an MCP server: stdio by default, or streamable HTTP on loopback")
        {
            new Option<bool>("--read-only") { Description = "refuse every tool that changes the machine or the repository" },
            new Option<string?>("--http") { HelpName = "URL", Arity = ArgumentArity.ZeroOrOne, Description = $"serve HTTP on this loopback URL (default {SchedCPMcpLauncher.DefaultHttpUrl}) instead of stdio" },
            new Option<string?>("--auth-token-file") { HelpName = "PATH", Description = $"the HTTP bearer token (else ${SchedCPMcpLauncher.TokenVariable}, else a fresh one printed to stderr)" },
            new Option<string[]>("--allow-origin") { HelpName = "ORIGIN", Description = "a browser origin allowed over HTTP, such as http://localhost:5173 (repeatable)" },
            db,
            audit,
            new Option<string?>("--trusted-key") { HelpName = "PEM", Description = "the verifier's public key deployment tokens must be signed with (without it, or --signing-key, no token is accepted)" },
            new Option<string?>("--signing-key") { HelpName = "PEM", Description = "the verifier's private key: verified policies come back with a deployment token for this host" },
            new Option<string?>("--target") { HelpName = "auto|host|sandbox", Description = "where kernel tools act: this host when it can attach schedulers, else the sandbox (auto), or one forced" },
        };
        command.SetCliAction((parsed, _) =>
        {
            var forwarded = args.SkipWhile(a => a != "mcp").Skip(1).ToList();
            // The server's own defaults are in the working directory; the command keeps the user's data folder.
            if (parsed.GetValue(db) is null)
            {
                forwarded.AddRange(["--db", Cli.Database(null)]);
            }

            if (parsed.GetValue(audit) is null)
            {
                forwarded.AddRange(["--audit", Path.Combine(Cli.DataFolder(), "mcp-audit.jsonl")]);
            }

            return SchedCPMcpLauncher.RunAsync(forwarded);
        });
        return command;
    }
}
