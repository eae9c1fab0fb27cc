using System.CommandLine;
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.SchedExt;

/// <summary><c>schedcp capabilities</c> and <c>schedcp state</c>: what this machine can do with sched_ext, and what it runs now.</summary>
internal static class HostCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Capabilities();
        yield return State();
    }

    private static Command Capabilities()
    {
        var json = CliOptions.Json();
        var command = new Command("capabilities", "what this machine can do with sched_ext, with advice for what is missing (exit 3 when it cannot run schedulers)") { json };
        command.SetCliAction((parsed, _) =>
        {
            var report = new CapabilityProbe().Probe();
            if (parsed.GetValue(json))
            {
                Cli.WriteJson(report);
            }
            else
            {
                Console.Write(report);
            }

            return Task.FromResult(report.CanRunSchedulers ? 0 : 3);
        });
        return command;
    }

    private static Command State()
    {
        var json = CliOptions.Json();
        var command = new Command("state", "the kernel's sched_ext state from sysfs (exit 3 when it cannot be read)") { json };
        command.SetCliAction((parsed, _) =>
        {
            var readable = new SchedExtState().TryRead(out var status, out var failure);
            if (parsed.GetValue(json))
            {
                Cli.WriteJson(readable ? status! : new { failure = failure?.ToString() });
            }
            else if (readable)
            {
                Console.WriteLine($"state {status!.State.ToString().ToLowerInvariant()}, ops {status.Ops ?? "-"}, enable_seq {status.EnableSeq}, nr_rejected {status.NrRejected}, switch_all {status.SwitchAll}");
            }
            else
            {
                Console.Error.WriteLine(failure);
            }

            return Task.FromResult(readable ? 0 : 3);
        });
        return command;
    }
}
