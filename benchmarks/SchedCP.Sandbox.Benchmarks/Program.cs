// Workload-level benchmark of the sandbox: boot-to-ready, an empty job, and an empty scheduler job
// (boot, attach, detach, power-off), repeated, written as a markdown table with the machine and date.
// Usage: SchedCP.Sandbox.Benchmarks <output.md> [repeats] [cold-kernel-s] [cold-userspace-s] [warm-toolchain-s]
using SchedCP.Kernel.Schedulers;
using System.Globalization;
using System.Text;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;

var output = args.Length > 0 ? args[0] : "benchmarks/results/sandbox.md";
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
string Arg(int i) => args.Length > i ? args[i] : "n/a";
var bpfDir = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine("bpf", "build");

var runner = new SandboxRunner(new SandboxOptions { CpuCount = 2, MemoryMiB = 1024, Timeout = TimeSpan.FromSeconds(120) });
var trials = new SchedulerTrialRunner(runner);
var boot = new List<double>();
var empty = new List<double>();
var attachCycle = new List<double>();

for (var i = 0; i < repeats; i++)
{
    var r = await runner.RunAsync(new SandboxJob("bench-empty", "true"));
    if (r.Failure is not null)
    {
        Console.Error.WriteLine(r);
        return 1;
    }

    boot.Add(r.Timings.BootToReady!.Value.TotalSeconds);
    empty.Add(r.Timings.Total.TotalSeconds);
    Console.WriteLine($"empty job {i + 1}/{repeats}: ready {boot[^1]:F2} s, total {empty[^1]:F2} s");

    var t = await trials.RunAsync(new SchedulerTrial(new BpfObjectScheduler(Path.Combine(bpfDir, "fifo.bpf.o")))
    {
        WorkloadThreads = 0,
        WorkloadDuration = TimeSpan.Zero,
    });
    if (t.Sandbox.Failure is not null || t.Attached?.IsEnabled != true)
    {
        Console.Error.WriteLine($"scheduler cycle failed: {t.Sandbox}");
        return 1;
    }

    attachCycle.Add(t.Sandbox.Timings.Total.TotalSeconds);
    Console.WriteLine($"boot+attach+detach+power-off {i + 1}/{repeats}: {attachCycle[^1]:F2} s");
}

static string Row(string name, List<double> xs)
{
    var s = xs.Order().ToArray();
    return string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {xs.Count} | {s.Average():F2} | {s[s.Length / 2]:F2} | {s[0]:F2} | {s[^1]:F2} |");
}

var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
var memKb = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
var md = new StringBuilder();
md.AppendLine("# Sandbox benchmark");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"- Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}");
md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} cores, {cpu}, {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024} GiB RAM; host kernel {Environment.OSVersion.Version}");
md.AppendLine(CultureInfo.InvariantCulture, $"- Guest: 2 vCPUs, 1024 MiB, QEMU TCG (no KVM), kernel 6.12 from linux-source-6.12");
md.AppendLine(CultureInfo.InvariantCulture, $"- .NET {Environment.Version}");
md.AppendLine();
md.AppendLine("Seconds, wall clock on the host, measured by `benchmarks/SchedCP.Sandbox.Benchmarks`.");
md.AppendLine();
md.AppendLine("| measurement | n | mean | median | min | max |");
md.AppendLine("|---|---|---|---|---|---|");
md.AppendLine(Row("boot to ready (QEMU start to guest init ready marker)", boot));
md.AppendLine(Row("empty job (boot, run `true`, power-off)", empty));
md.AppendLine(Row("empty scheduler job (boot, attach schedcp_fifo, detach, power-off)", attachCycle));
md.AppendLine();
md.AppendLine("| toolchain build | seconds |");
md.AppendLine("|---|---|");
md.AppendLine(CultureInfo.InvariantCulture, $"| cold: guest kernel (tinyconfig + fragment, make -j{Environment.ProcessorCount}) | {Arg(2)} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| cold: libbpf, bpftool, kernel examples, loader, initramfs | {Arg(3)} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| warm: everything cached (hash check only) | {Arg(4)} |");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, md.ToString());
Console.WriteLine(md);
return 0;
