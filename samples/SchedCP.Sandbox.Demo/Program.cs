// Boots the sched_ext sandbox and puts each of the project's schedulers and the kernel's examples through a
// trial: attach, run a CPU workload, detach. Prints what the kernel reported for each.
using SchedCP.Kernel.Schedulers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SchedCP.Kernel.Loader;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;

var bpfDir = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine("bpf", "build");
using var services = new ServiceCollection()
    .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information))
    .AddSchedCPKernel(o => o.CpuCount = 2).Services
    .BuildServiceProvider();

if (!SandboxToolchain.TryLocate(null, out var toolchain, out var missing))
{
    Console.Error.WriteLine(missing);
    return 1;
}

var trials = services.GetRequiredService<SchedulerTrialRunner>();
SchedulerUnderTest[] schedulers =
[
    new BpfObjectScheduler(Path.Combine(bpfDir, "fifo.bpf.o")),
    new BpfObjectScheduler(Path.Combine(bpfDir, "vtime.bpf.o")) { Rodata = new Dictionary<string, string> { ["slice_ns"] = "2000000" } },
    new ScxBinaryScheduler(toolchain!.ExampleBinary("scx_simple")),
    new ScxBinaryScheduler(toolchain.ExampleBinary("scx_qmap")),
    new BpfObjectScheduler(Path.Combine(bpfDir, "stall.bpf.o")),
    new BpfObjectScheduler(Path.Combine(bpfDir, "error.bpf.o")),
];

Console.WriteLine($"{"scheduler",-14} {"attached as",-14} {"verified insns",14} {"while running",-14} {"exit",-14} {"boot s",6} {"total s",7}");
var failures = 0;
foreach (var scheduler in schedulers)
{
    var result = await trials.RunAsync(new SchedulerTrial(scheduler) { WorkloadThreads = 4, WorkloadDuration = TimeSpan.FromSeconds(3) });
    var name = scheduler switch
    {
        BpfObjectScheduler b => Path.GetFileName(b.ObjectPath),
        ScxBinaryScheduler s => Path.GetFileName(s.BinaryPath),
        _ => "?",
    };
    if (result.Sandbox.Failure is { } f)
    {
        Console.WriteLine($"{name,-14} sandbox failure: {f}");
        failures++;
        continue;
    }

    var running = result.WhileRunning.Count == 0 ? "-" : string.Join(",", result.WhileRunning.Select(s => s.State).Distinct());
    var insns = result.Loaded?.Programs.Sum(p => p.VerifiedInstructions).ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
    Console.WriteLine(
        $"{name,-14} {(result.Attached?.IsEnabled == true ? result.Attached.Ops : "no"),-14} {insns,14} {running,-14} {result.Exit?.Kind.ToString() ?? "?",-14} " +
        $"{result.Sandbox.Timings.BootToReady?.TotalSeconds ?? 0,6:F1} {result.Sandbox.Timings.Total.TotalSeconds,7:F1}");
    if (result.Exit?.Message is { Length: > 0 } message)
    {
        Console.WriteLine($"{"",14} message: {message}");
    }
}

return failures == 0 ? 0 : 1;
