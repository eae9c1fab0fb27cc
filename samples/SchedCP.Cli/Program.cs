// The `schedcp` command line. Commands so far:
//   schedcp capabilities        what this machine can do with sched_ext, with advice for what is missing
//   schedcp state               the kernel's sched_ext state (sysfs)
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.SchedExt;

var command = args.Length > 0 ? args[0] : "help";
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
    default:
        Console.Error.WriteLine("usage: schedcp capabilities | state");
        return command == "help" ? 0 : 2;
}
