using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

/// <summary>
/// The <c>schedcp</c> command tree and its exit-code contract: 0 done, 1 the job failed, 2 bad usage (an unknown verb or
/// option, a malformed value: the reason and where to find help on stderr); help and <c>--version</c> print on stdout
/// and exit 0. Codes 3 to 7 are the verbs' own (see README).
/// </summary>
internal static class SchedcpCommand
{
    public const int UsageError = 2;

    /// <summary>The overview that <c>schedcp --help</c> and <c>schedcp help</c> print first.</summary>
    public const string Overview = """
        usage: schedcp COMMAND [arguments] [options]
          optimize WORKLOAD      the sched-agent loop on a benchmark workload, in the sandbox (offline planner)
          list | search | show   the policy repository (show POLICY --source: the source revise diffs against)
          revise PARENT          a unified diff against a policy's source, verified and stored (--compare: vs EEVDF)
          run | stop | status    a scheduler on this host (needs sched_ext and a deployment token)
          deploy | rollback      a token-checked canary deployment; rollback to the last known-good scheduler
          sandbox run | check    a scheduler in the sandbox guest
          setup [--check]        what the sandbox needs; builds its guest toolchain once when it is missing
          verify FILE.bpf.c      the verifier gauntlet on a BPF C file
          bench WORKLOAD         a workload side by side with EEVDF in the sandbox
          mcp                    the control plane as an MCP server (stdio, or --http on loopback; --read-only)
          console                the operator console: live pages and an audited API on loopback (same token as mcp --http)
          capabilities           what this machine can do with sched_ext, with advice for what is missing
          state                  the kernel's sched_ext state (sysfs)
          help [COMMAND]         this overview, or a command's options
        'schedcp COMMAND --help' shows a command's options; every command but mcp takes --json.
        Exit codes: 0 done, 1 the job failed, 2 bad usage, 3 missing capability, 4 unknown policy or nothing to act on,
        5 the scheduler failed, 6 rolled back or ended on its own, 7 the deployment was refused.
        """;

    /// <summary>Parses <paramref name="args"/> and runs the verb they name; returns the process exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Create(args);
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            var path = VerbPath(parsed);
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"schedcp{(path.Length == 0 ? "" : " " + path)}: {error.Message}");
            }

            await Console.Error.WriteLineAsync(path.Length == 0 ? Overview : $"See 'schedcp {path} --help'.");
            return UsageError;
        }

        // 'run' holds a scheduler until Ctrl-C or SIGTERM and detaches it itself: no forced exit after a timeout.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>The verb path of the parsed command, such as <c>sandbox run</c>; empty for the root.</summary>
    public static string VerbPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Command is not RootCommand; result = (System.CommandLine.Parsing.CommandResult)result.Parent!)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static RootCommand Create(string[] args)
    {
        var root = new RootCommand("schedcp: let sched-agent tune Linux CPU scheduling with sched_ext schedulers proven in a micro-VM against EEVDF.");
        root.Add(OptimizeCommand.Create());
        root.Add(ReviseCommand.Create());
        foreach (var command in PolicyCommands.Create().Concat(SchedulerCommands.Create()).Concat(HostCommands.Create()))
        {
            root.Add(command);
        }

        root.Add(SetupCommand.Create());
        root.Add(McpCommand.Create(args));
        root.Add(ConsoleCommand.Create());
        root.Add(HelpVerb());
        // A bare 'schedcp' is a request for the overview, as 'schedcp help' is.
        root.SetAction(parsed => parsed.RootCommandResult.Command.Parse(["--help"]).Invoke());
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new OverviewFirstHelp((HelpAction)help.Action!);
        return root;
    }

    // The root's help is the overview of every verb; a verb's help is the generated one.
    private sealed class OverviewFirstHelp(HelpAction generated) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.CommandResult.Command is not RootCommand)
            {
                return generated.Invoke(parseResult);
            }

            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(Overview);
            output.WriteLine("Options:\n  -h, --help  this overview\n  --version   the version of schedcp");
            return 0;
        }
    }

    // 'schedcp help [COMMAND]' is 'schedcp [COMMAND] --help', on stdout with exit 0.
    private static Command HelpVerb()
    {
        var verb = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.ZeroOrMore, Description = "the command to describe, such as 'optimize' or 'sandbox run'" };
        var help = new Command("help", "the overview, or a command's options") { verb };
        help.SetCliAction((parsed, cancellation) =>
        {
            var names = parsed.GetValue(verb) ?? [];
            Command described = parsed.RootCommandResult.Command;
            foreach (var name in names)
            {
                described = described.Subcommands.FirstOrDefault(c => c.Name == name)
                    ?? throw new ArgumentException($"there is no command '{string.Join(' ', names)}'; 'schedcp help' lists them");
            }

            return parsed.RootCommandResult.Command.Parse([.. names, "--help"]).InvokeAsync(cancellationToken: cancellation);
        });
        return help;
    }
}
