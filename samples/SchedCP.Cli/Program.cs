// The `schedcp` command line: the control plane for people and scripts.
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.SchedExt;

const string usage = """
    usage: schedcp COMMAND [arguments]
      optimize WORKLOAD      the sched-agent loop on a benchmark workload, in the sandbox (offline planner)
      list | search | show   the policy repository
      run | stop | status    a scheduler on this host (needs sched_ext and a deployment token)
      deploy | rollback      a token-checked canary deployment; rollback to the last known-good scheduler
      sandbox run | check    a scheduler in the sandbox guest
      verify FILE.bpf.c      the verifier gauntlet on a BPF C file
      bench WORKLOAD         a workload side by side with EEVDF in the sandbox
      mcp                    the control plane as an MCP server (stdio, or --http on loopback; --read-only)
      capabilities           what this machine can do with sched_ext, with advice for what is missing
      state                  the kernel's sched_ext state (sysfs)
    'schedcp COMMAND --help' shows a command's options.
    """;

var command = args.Length > 0 ? args[0] : "help";
if (args.Skip(1).Contains("--help"))
{
    Console.WriteLine(command switch
    {
        "optimize" => OptimizeCommand.Usage,
        "list" or "search" or "show" => PolicyCommands.Usage,
        _ => SchedulerCommands.Usage,
    });
    return 0;
}

switch (command)
{
    case "capabilities":
        var report = new CapabilityProbe().Probe();
        Console.Write(report);
        return report.CanRunSchedulers ? 0 : 3;
    case "state":
        if (new SchedExtState().TryRead(out var status, out var failure))
        {
            Console.WriteLine($"state {status!.State.ToString().ToLowerInvariant()}, ops {status.Ops ?? "-"}, enable_seq {status.EnableSeq}, nr_rejected {status.NrRejected}, switch_all {status.SwitchAll}");
            return 0;
        }

        Console.Error.WriteLine(failure);
        return 3;
    case "optimize":
        return await OptimizeCommand.RunAsync(args);
    case "list" or "search" or "show":
        return await PolicyCommands.RunAsync(command, args);
    case "run" or "deploy" or "rollback" or "stop" or "status" or "sandbox" or "verify" or "bench":
        return await SchedulerCommands.RunAsync(command, args);
    case "mcp":
        return await McpCommand.RunAsync(args);
    default:
        Console.Error.WriteLine(usage);
        return command == "help" ? 0 : 2;
}
