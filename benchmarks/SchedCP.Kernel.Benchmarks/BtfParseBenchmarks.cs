using BenchmarkDotNet.Attributes;
using SchedCP.Kernel.Bpf.Btf;

namespace SchedCP.Kernel.Benchmarks;

/// <summary>Cost of parsing this host's kernel BTF (already in memory) and of the sched_ext_ops query.</summary>
[MemoryDiagnoser]
public class BtfParseBenchmarks
{
    private byte[] _vmlinux = [];
    private BtfSpec? _spec;

    [GlobalSetup]
    public void Setup()
    {
        _vmlinux = File.ReadAllBytes("/sys/kernel/btf/vmlinux");
        _spec = BtfSpec.Parse(_vmlinux).Value;
    }

    [Benchmark(Description = "parse vmlinux BTF (validate all)")]
    public int Parse() => BtfSpec.Parse(_vmlinux).Value!.TypeCount;

    [Benchmark(Description = "parse + name index + sched_ext_ops probe")]
    public bool ParseAndProbe() => SchedExtOpsLayout.Probe(BtfSpec.Parse(_vmlinux).Value!).Exists;

    [Benchmark(Description = "task_struct lookup (index built)")]
    public int FindTaskStruct() => _spec!.Find("task_struct", BtfKind.Struct)!.Value.Members.Count;
}
