using System.Diagnostics;
using SchedCP.Kernel.Bpf.Programs;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Tests.StaticAnalysis;

/// <summary>What happened to the mutants of one fuzz run.</summary>
/// <param name="Mutants">Mutants run.</param>
/// <param name="Outcomes">Count per outcome: <c>parse:&lt;BpfFailureKind&gt;</c>, <c>static:&lt;first error check&gt;</c> or <c>static:passed</c>.</param>
/// <param name="Exceptions">Unhandled exceptions: signature → first mutant that raised it and how many did.</param>
/// <param name="MaxMilliseconds">The slowest mutant (a mutant over the re-time threshold counts at its fastest of a few re-runs).</param>
/// <param name="SlowestMutant">What the slowest mutant was.</param>
/// <param name="P99Milliseconds">The 99th percentile time per mutant.</param>
/// <param name="ExceptionCount">All unhandled exceptions.</param>
/// <param name="MaxFirstRunMilliseconds">The slowest first run of any mutant, before re-timing (includes time the thread was not scheduled).</param>
/// <param name="Retimed">Mutants re-timed because their first run was over the threshold.</param>
public sealed record BpfFuzzReport(
    int Mutants,
    IReadOnlyDictionary<string, int> Outcomes,
    IReadOnlyDictionary<string, (string FirstMutant, int Count)> Exceptions,
    double MaxMilliseconds,
    string SlowestMutant,
    double P99Milliseconds,
    int ExceptionCount,
    double MaxFirstRunMilliseconds = 0,
    int Retimed = 0);

/// <summary>
/// Runs mutants of BPF objects through the path a submitted object takes: <see cref="BpfObject.Parse"/>, then
/// <see cref="SchedulerStaticAnalyzer.Analyze"/>, timing each one and recording unhandled exceptions by signature.
/// </summary>
public static class BpfObjectFuzzer
{
    /// <summary>
    /// A first run slower than this is run again (up to <see cref="Reruns"/> times) and its fastest run counts: on a
    /// shared, loaded machine a thread can lose the CPU for hundreds of milliseconds, while a slow input is slow every time.
    /// </summary>
    public const double RetimeThresholdMilliseconds = 100;

    /// <summary>How often a slow mutant is re-run.</summary>
    public const int Reruns = 3;

    /// <summary>Runs <paramref name="mutantsPerObject"/> mutants of each object.</summary>
    /// <param name="seed">The seed; the same seed gives the same mutants.</param>
    /// <param name="objects">Object names and their bytes.</param>
    /// <param name="mutantsPerObject">Mutants per object.</param>
    /// <param name="objectIndexOffset">The index of the first object in the whole run (when objects are fuzzed in parallel).</param>
    /// <param name="progress">Called after each object with its name.</param>
    public static BpfFuzzReport Run(int seed, IReadOnlyList<(string Name, byte[] Bytes)> objects, int mutantsPerObject, int objectIndexOffset = 0, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var exceptions = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        var times = new double[objects.Count * mutantsPerObject];
        var max = 0.0;
        var slowest = "";
        var exceptionCount = 0;
        var maxFirst = 0.0;
        var retimed = 0;
        var n = 0;
        for (var o = 0; o < objects.Count; o++)
        {
            var (name, original) = objects[o];
            var mutator = new BpfObjectMutator(original);
            for (var i = 0; i < mutantsPerObject; i++)
            {
                var (bytes, _, description) = mutator.Mutate(seed, o + objectIndexOffset, i);
                var label = $"{name} #{i} ({description})";
                var clock = Stopwatch.StartNew();
                string outcome;
                try
                {
                    outcome = ParseAndAnalyse(bytes, name);
                }
                catch (Exception e)
                {
                    exceptionCount++;
                    var signature = Signature(e);
                    exceptions[signature] = exceptions.TryGetValue(signature, out var seen) ? (seen.Item1, seen.Item2 + 1) : (label, 1);
                    outcome = "exception";
                }

                var ms = clock.Elapsed.TotalMilliseconds;
                maxFirst = Math.Max(maxFirst, ms);
                if (ms > RetimeThresholdMilliseconds && outcome != "exception")
                {
                    retimed++;
                    for (var r = 0; r < Reruns; r++)
                    {
                        clock.Restart();
                        ParseAndAnalyse(bytes, name);
                        ms = Math.Min(ms, clock.Elapsed.TotalMilliseconds);
                    }
                }

                times[n++] = ms;
                if (ms > max)
                {
                    max = ms;
                    slowest = label;
                }

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }

            progress?.Invoke(name);
        }

        Array.Sort(times, 0, n);
        var p99 = n == 0 ? 0 : times[Math.Min(n - 1, (int)Math.Ceiling(0.99 * n) - 1)];
        return new BpfFuzzReport(n, outcomes, exceptions, max, slowest, p99, exceptionCount, maxFirst, retimed);
    }

    /// <summary>Parses and analyses one object; the outcome names the typed failure or the verdict.</summary>
    /// <param name="bytes">The object's bytes.</param>
    /// <param name="source">Its name.</param>
    public static string ParseAndAnalyse(byte[] bytes, string source)
    {
        var obj = BpfObject.Parse(bytes, source);
        if (!obj.Succeeded)
        {
            return $"parse:{obj.Failure.Kind}";
        }

        var result = SchedulerStaticAnalyzer.Analyze(obj.Value);
        var error = result.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error);
        return error is null ? "static:passed" : $"static:{error.Check}";
    }

    /// <summary>The exception type and the frame it was thrown from.</summary>
    /// <param name="e">The exception.</param>
    public static string Signature(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var frame = new StackTrace(e).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("SchedCP", StringComparison.Ordinal) == true);
        var method = frame?.GetMethod();
        return $"{e.GetType().Name} in {method?.DeclaringType?.Name}.{method?.Name}";
    }
}
