using SchedCP.Testing;
using Xunit.Abstractions;

namespace SchedCP.Verifier.Tests.StaticAnalysis;

/// <summary>
/// Seeded mutation fuzzing of every object bpf/build.sh builds, through parse and static analysis: a submitted object
/// is untrusted bytes, so no mutant may raise an exception or take long.
/// </summary>
public sealed class BpfObjectFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;
    private const int MutantsPerObject = 2_000;
    private static readonly TimeSpan MaxPerMutant = TimeSpan.FromSeconds(1);

    [BpfBuildFact]
    public void Mutated_objects_yield_typed_failures_or_verdicts_never_exceptions_and_each_within_a_second()
    {
        var directory = Path.GetDirectoryName(BuildOutputs.BpfObject("fifo"))!;
        var objects = Directory.GetFiles(directory, "*.bpf.o").Order(StringComparer.Ordinal)
            .Select(p => (Path.GetFileName(p), File.ReadAllBytes(p))).ToArray();
        Assert.NotEmpty(objects);

        var report = BpfObjectFuzzer.Run(Seed, objects, MutantsPerObject);

        output.WriteLine($"{report.Mutants} mutants of {objects.Length} objects, seed {Seed}: max {report.MaxMilliseconds:F1} ms ({report.SlowestMutant}), p99 {report.P99Milliseconds:F2} ms; slowest first run {report.MaxFirstRunMilliseconds:F1} ms, {report.Retimed} re-timed");
        foreach (var (outcome, count) in report.Outcomes.OrderByDescending(kv => kv.Value))
        {
            output.WriteLine($"  {outcome}: {count}");
        }

        Assert.True(report.ExceptionCount == 0,
            $"{report.ExceptionCount} unhandled exceptions in {report.Mutants} mutants (seed {Seed}):\n" +
            string.Join('\n', report.Exceptions.Select(kv => $"  {kv.Value.Count} x {kv.Key}, first: {kv.Value.FirstMutant}")));
        Assert.True(report.MaxMilliseconds < MaxPerMutant.TotalMilliseconds,
            $"The slowest mutant took {report.MaxMilliseconds:F0} ms at best of {BpfObjectFuzzer.Reruns + 1} runs (limit {MaxPerMutant.TotalMilliseconds} ms): {report.SlowestMutant}; p99 {report.P99Milliseconds:F2} ms, slowest first run {report.MaxFirstRunMilliseconds:F0} ms.");
    }
}
