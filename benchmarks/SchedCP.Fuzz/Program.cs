using System.Globalization;
using System.Text;
using SchedCP.Verifier.Tests.StaticAnalysis;

// Long seeded fuzz run of every built BPF object through parse and static analysis; prints a Markdown table.
//   dotnet run --project benchmarks/SchedCP.Fuzz -c Release -- [mutants per object] [seed] [output.md] [object name]
var mutants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20261205;
var outputPath = args.Length > 2 ? args[2] : null;
var bpfDir = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine("bpf", "build");
var objects = Directory.GetFiles(bpfDir, "*.bpf.o").Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.ReadAllBytes(p))).ToArray();
var only = args.Length > 3 ? args[3] : null;
if (objects.Length == 0)
{
    Console.Error.WriteLine($"No *.bpf.o in {bpfDir}: run bpf/build.sh or set SCHEDCP_BPF_DIR.");
    return 2;
}

var started = DateTimeOffset.UtcNow;
// Objects are fuzzed two at a time (the mutants of one object stay in order, so the run is reproducible).
var reports = new BpfFuzzReport[objects.Length];
Parallel.For(0, objects.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, o =>
{
    if (only is not null && objects[o].Item1 != only)
    {
        reports[o] = new BpfFuzzReport(0, new Dictionary<string, int>(), new Dictionary<string, (string, int)>(), 0, "", 0, 0);
        return;
    }

    // Each object keeps its index in the run, so its mutants are those of a sequential run.
    reports[o] = BpfObjectFuzzer.Run(seed, [objects[o]], mutants, objectIndexOffset: o);
    Console.Error.WriteLine($"{objects[o].Item1}: {reports[o].Mutants} mutants, {reports[o].ExceptionCount} exceptions, max {reports[o].MaxMilliseconds:F1} ms ({reports[o].SlowestMutant})");
});
var elapsed = DateTimeOffset.UtcNow - started;

var total = reports.Sum(r => r.Mutants);
var exceptions = reports.Sum(r => r.ExceptionCount);
var outcomes = reports.SelectMany(r => r.Outcomes).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
var slowest = reports.MaxBy(r => r.MaxMilliseconds)!;
var text = new StringBuilder();
var c = CultureInfo.InvariantCulture;
text.AppendLine(c, $"| object | mutants | unhandled exceptions | parse failures | static errors | passed | max ms | p99 ms |");
text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
for (var o = 0; o < objects.Length; o++)
{
    var r = reports[o];
    int Sum(string prefix) => r.Outcomes.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key != "static:passed").Sum(kv => kv.Value);
    text.AppendLine(c, $"| {objects[o].Item1} | {r.Mutants} | {r.ExceptionCount} | {Sum("parse:")} | {Sum("static:")} | {r.Outcomes.GetValueOrDefault("static:passed")} | {r.MaxMilliseconds:F1} | {r.P99Milliseconds:F2} |");
}

text.AppendLine(c, $"| **all** | **{total}** | **{exceptions}** | | | | **{slowest.MaxMilliseconds:F1}** | **{reports.Max(r => r.P99Milliseconds):F2}** (worst object) |");
text.AppendLine();
text.AppendLine("| outcome | mutants |");
text.AppendLine("|---|---:|");
foreach (var (outcome, count) in outcomes.OrderByDescending(kv => kv.Value))
{
    text.AppendLine(c, $"| {outcome} | {count} |");
}

text.AppendLine();
text.AppendLine(c, $"Seed {seed}, {mutants} mutants per object, {objects.Length} objects, {elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores, finished {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. Slowest mutant: {slowest.SlowestMutant}.");
foreach (var (signature, (first, count)) in reports.SelectMany(r => r.Exceptions))
{
    text.AppendLine(c, $"- {count} x {signature}, first {first}");
}

Console.Write(text);
if (outputPath is not null)
{
    File.WriteAllText(outputPath, text.ToString());
}

return exceptions == 0 ? 0 : 1;
