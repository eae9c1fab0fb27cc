using System.Globalization;
using System.Text;
using SchedCP.Verifier.Tests.StaticAnalysis;

// Long seeded fuzz run of every built BPF object through parse and static analysis; prints a Markdown table.
//   dotnet run --project benchmarks/SchedCP.Fuzz -c Release -- [mutants per object] [seed] [output.md] [object name]
// Re-times one mutant alone (to tell a slow input from a busy machine):
//   dotnet run --project benchmarks/SchedCP.Fuzz -c Release -- mutant <object name> <index> [seed]
if (args.Length >= 3 && args[0] == "mutant")
{
    return RetimeMutant(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20261205);
}

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
text.AppendLine(c, $"| object | mutants | unhandled exceptions | parse failures | static errors | passed | max ms | p99 ms | slowest first run ms | re-timed |");
text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (var o = 0; o < objects.Length; o++)
{
    var r = reports[o];
    int Sum(string prefix) => r.Outcomes.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key != "static:passed").Sum(kv => kv.Value);
    text.AppendLine(c, $"| {objects[o].Item1} | {r.Mutants} | {r.ExceptionCount} | {Sum("parse:")} | {Sum("static:")} | {r.Outcomes.GetValueOrDefault("static:passed")} | {r.MaxMilliseconds:F1} | {r.P99Milliseconds:F2} | {r.MaxFirstRunMilliseconds:F1} | {r.Retimed} |");
}

text.AppendLine(c, $"| **all** | **{total}** | **{exceptions}** | | | | **{slowest.MaxMilliseconds:F1}** | **{reports.Max(r => r.P99Milliseconds):F2}** (worst object) | **{reports.Max(r => r.MaxFirstRunMilliseconds):F1}** | **{reports.Sum(r => r.Retimed)}** |");
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

static int RetimeMutant(string name, int index, int seed)
{
    var bpfDir = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine("bpf", "build");
    var paths = Directory.GetFiles(bpfDir, "*.bpf.o").Order(StringComparer.Ordinal).ToArray();
    var o = Array.FindIndex(paths, p => Path.GetFileName(p) == name);
    if (o < 0)
    {
        Console.Error.WriteLine($"{name} is not in {bpfDir}.");
        return 2;
    }

    var (bytes, _, description) = new BpfObjectMutator(File.ReadAllBytes(paths[o])).Mutate(seed, o, index);
    var times = new List<double>();
    var outcome = "";
    for (var run = 0; run < 21; run++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        outcome = BpfObjectFuzzer.ParseAndAnalyse(bytes, name);
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    Console.WriteLine(FormattableString.Invariant($"{name} #{index} ({description}): {outcome}; first run {times[0]:F2} ms, then min {times.Skip(1).Min():F2} ms, max {times.Skip(1).Max():F2} ms"));
    return 0;
}
