// Runs the benchmark workloads in the sandbox guest, one boot per scheduler, N repeats each, and writes
// benchmarks/results/workloads.md with mean ± stddev per KPI.
using System.Globalization;
using System.Text;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Workloads;

var repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "SchedCP.Sdk.sln")))
{
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
}

if (!SandboxToolchain.TryLocate(null, out var toolchain, out var missing))
{
    Console.Error.WriteLine(missing);
    return 1;
}

var bpf = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine(root, "bpf", "build");
SchedulerUnderTest?[] schedulers =
[
    null,
    new BpfObjectScheduler(Path.Combine(bpf, "fifo.bpf.o")),
    new BpfObjectScheduler(Path.Combine(bpf, "vtime.bpf.o")),
    new BpfObjectScheduler(Path.Combine(bpf, "vtime.bpf.o")) { Rodata = new Dictionary<string, string> { ["wake_local"] = "1" } },
    new ScxBinaryScheduler(toolchain!.ExampleBinary("scx_simple")),
    new ScxBinaryScheduler(toolchain!.ExampleBinary("scx_qmap")),
    // scx_central's init must run on its central CPU: start it there, as PolicySchedulers does.
    new ScxBinaryScheduler(toolchain!.ExampleBinary("scx_central")) { PinnedCpu = 0 },
];
BenchmarkWorkload[] workloads =
[
    BenchmarkWorkload.LongTail(6, 1, 30, 200),
    BenchmarkWorkload.Wakeup(2, 2, 1),
    BenchmarkWorkload.BuildLike(3, 4, 2, 20),
];
(string Workload, string Kpi)[] kpis =
[
    ("longtail", "makespan_ms"), ("longtail", "short_mean_ms"),
    ("wakeup", "p50_us"), ("wakeup", "p99_us"), ("wakeup", "requests_per_second"),
    ("buildlike", "makespan_ms"),
];

var sandbox = new SandboxRunner(new SandboxOptions { CpuCount = 2, MemoryMiB = 1024, Timeout = TimeSpan.FromMinutes(5) });
var runner = new WorkloadRunner();
var table = new StringBuilder();
var started = DateTimeOffset.UtcNow;
table.AppendLine("# Benchmark workloads in the sandbox");
table.AppendLine();
table.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.MachineName}, {Environment.ProcessorCount} host CPUs; guest: 2 vCPUs (QEMU TCG unless KVM is available), 1 GiB, kernel {toolchain!.LinuxSourceVersion}. Date: {started:yyyy-MM-dd} UTC.");
table.AppendLine(CultureInfo.InvariantCulture, $"Each cell: mean ± sample stddev over {repeats} runs in one guest boot per scheduler, repeats interleaved. Produced by benchmarks/SchedCP.Workloads.Benchmarks.");
table.AppendLine(CultureInfo.InvariantCulture, $"Workloads: `{string.Join("`, `", workloads.Select(w => w.ToString()))}`.");
table.AppendLine();
table.AppendLine("| Scheduler | " + string.Join(" | ", kpis.Select(k => $"{k.Workload} {k.Kpi}")) + " | note |");
table.AppendLine("|---|" + string.Concat(kpis.Select(_ => "---|")) + "---|");
foreach (var scheduler in schedulers)
{
    var session = await runner.RunInSandboxAsync(sandbox, workloads, repeats, scheduler, TimeSpan.FromMinutes(5));
    Console.WriteLine($"{session.Scheduler}: {session.Runs.Count(r => r.Succeeded)}/{session.Runs.Count} runs, {session.Failure}");
    var cells = kpis.Select(k =>
    {
        var values = session.Runs.Where(r => r.Workload.Name == k.Workload && r.Result?.Get(k.Kpi) is not null).Select(r => r.Result!.Get(k.Kpi)!.Value).ToArray();
        if (values.Length == 0)
        {
            return "–";
        }

        var s = KpiSpread.Of(values);
        return string.Create(CultureInfo.InvariantCulture, $"{s.Mean:G4} ± {s.StdDev:G3}");
    });
    var note = session.Failure is { } f ? f.Kind.ToString() : session.SchedulerStayedAttached ? "" : "ejected during runs";
    var label = scheduler is BpfObjectScheduler { Rodata.Count: > 0 } tuned
        ? $"{session.Scheduler} ({string.Join(", ", tuned.Rodata.Select(kv => $"{kv.Key}={kv.Value}"))})"
        : session.Scheduler;
    table.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", cells)} | {note} |");
}

table.AppendLine();
table.AppendLine(CultureInfo.InvariantCulture, $"Total time {(DateTimeOffset.UtcNow - started).TotalMinutes:F1} min. Lower is better except requests_per_second. Under emulation absolute numbers are slow; compare rows, not machines.");
var output = Path.Combine(root, "benchmarks", "results", "workloads.md");
await File.WriteAllTextAsync(output, table.ToString());
Console.WriteLine(table);
return 0;
