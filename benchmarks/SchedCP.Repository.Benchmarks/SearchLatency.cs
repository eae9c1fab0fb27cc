using System.Diagnostics;
using System.Globalization;
using SchedCP.Repository;

namespace SchedCP.Repository.Benchmarks;

/// <summary>
/// Per-call search latency percentiles (BenchmarkDotNet reports means per iteration, not a per-call p99): times each of
/// several thousand searches over 10,000 policies with a stopwatch after a warm-up.
/// </summary>
public static class SearchLatency
{
    public static async Task<string> MeasureAsync(int calls)
    {
        using var repository = await SyntheticRepository.CreateAsync(10_000);
        string[] queries =
        [
            "low latency gaming under background load", "kernel compilation parallel build makespan", "cgroup container isolation",
            "save power on a laptop battery", "throughput for web services and batch jobs", "fair sharing of CPU time by nice weight",
        ];
        for (var i = 0; i < 200; i++)
        {
            await repository.Repository.SearchAsync(new PolicySearchQuery(queries[i % queries.Length]));
        }

        var plain = await TimeAsync(repository.Repository, queries, calls, null);
        var filtered = await TimeAsync(repository.Repository, queries, calls, PolicyRequirementsContext.Sandbox);
        return $"{Row($"Search over 10,000 policies (BM25, index warm, {calls} calls)", plain)}\n{Row($"Same, filtered to what the sandbox can run ({calls} calls)", filtered)}";
    }

    private static async Task<double[]> TimeAsync(PolicyRepository repository, string[] queries, int calls, PolicyRequirementsContext? host)
    {
        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await repository.SearchAsync(new PolicySearchQuery(queries[i % queries.Length]) { Host = host });
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples;
    }

    private static string Row(string name, double[] samples)
    {
        double P(double q) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {P(0.50):0.000} ms | {P(0.95):0.000} ms | {P(0.99):0.000} ms | {samples[^1]:0.000} ms |");
    }
}
