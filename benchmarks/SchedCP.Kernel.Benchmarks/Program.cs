using BenchmarkDotNet.Running;

namespace SchedCP.Kernel.Benchmarks;

/// <summary>Runs the kernel metrics and BTF benchmarks; pass BenchmarkDotNet arguments (e.g. --job short).</summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
