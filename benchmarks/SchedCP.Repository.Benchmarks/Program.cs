using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using SchedCP.Repository.Benchmarks;

if (args.Length > 0 && args[0] == "--latency")
{
    var calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000;
    Console.WriteLine("| Measurement | p50 | p95 | p99 | max |");
    Console.WriteLine("|---|---|---|---|---|");
    Console.WriteLine(await SearchLatency.MeasureAsync(calls));
    return;
}

// A short job: the machines are small and shared, so a few iterations give indicative, not publication-grade, numbers.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("ShortRun"));
BenchmarkSwitcher.FromAssembly(typeof(SearchBenchmarks).Assembly).Run(args, config);
