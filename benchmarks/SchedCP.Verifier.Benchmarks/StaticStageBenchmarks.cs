using BenchmarkDotNet.Attributes;
using SchedCP.Kernel.Bpf.Programs;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Benchmarks;

/// <summary>The static stage per object: read the .bpf.o from memory, decode, build CFGs, run every check.</summary>
[MemoryDiagnoser]
public class StaticStageBenchmarks
{
    private byte[] _bytes = [];

    [Params("fifo", "vtime", "stall", "scx_qmap", "scx_central", "scx_flatcg")]
    public string Scheduler { get; set; } = "fifo";

    [GlobalSetup]
    public void Setup()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "SchedCP.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        var path = Scheduler.StartsWith("scx_", StringComparison.Ordinal)
            ? Path.Combine(File.ReadAllText(Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".cache/schedcp/toolchain/current.path")).Trim(), "examples", $"{Scheduler}.bpf.o")
            : Path.Combine(dir, "bpf", "build", $"{Scheduler}.bpf.o");
        _bytes = File.ReadAllBytes(path);
    }

    [Benchmark(Description = "parse + analyse")]
    public int ParseAndAnalyse() => SchedulerStaticAnalyzer.Analyze(BpfObject.Parse(_bytes).Value!).Findings.Count;
}
