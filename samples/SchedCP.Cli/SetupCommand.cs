using System.CommandLine;
using SchedCP.Kernel.Sandbox;

/// <summary>
/// <c>schedcp setup [--check]</c>: what a sandbox trial needs (QEMU, clang, the guest toolchain, the BPF schedulers, the
/// workloads), and the toolchain built into the user's cache from the kit the packages ship when it is missing.
/// </summary>
internal static class SetupCommand
{
    public static Command Create()
    {
        var check = new Option<bool>("--check") { Description = "only report what is present and what is missing; build nothing" };
        var json = CliOptions.Json();
        var command = new Command("setup", "check the sandbox's requirements and build the guest toolchain when it is missing (once, about 20 minutes on two cores; exit 3 while something is missing, 1 when the build fails)") { check, json };
        command.SetCliAction((parsed, cancellation) => RunAsync(parsed.GetValue(check), parsed.GetValue(json), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(bool checkOnly, bool json, CancellationToken cancellation)
    {
        var report = SandboxSetup.Check();
        SandboxFailure? failure = null;
        // The kit's scripts install QEMU and clang as well as building the toolchain; the objects and workloads ship separately.
        if (!checkOnly && report.Items.Any(i => !i.Ready && i.Name is "qemu" or "clang" or "toolchain"))
        {
            failure = await Terminal.ProgressAsync("Building the sandbox toolchain into the user's cache (finished steps are reused)...", progress =>
                new SandboxSetup().BuildToolchainAsync(progress, cancellation));
            report = SandboxSetup.Check();
        }

        if (json)
        {
            Cli.WriteJson(new { report.Ready, report.Items, buildFailure = failure });
        }
        else
        {
            foreach (var item in report.Items)
            {
                Console.WriteLine($"  {(item.Ready ? "[ok]" : "[--]")} {item.Name,-15}{item.Detail}");
                if (!item.Ready)
                {
                    Console.WriteLine($"       {"",-15}-> {item.Remedy}");
                }
            }

            if (failure is not null)
            {
                await Console.Error.WriteLineAsync($"schedcp setup: {failure.Message} {failure.Remedy}");
            }
        }

        return failure is not null ? 1 : report.Ready ? 0 : 3;
    }
}
