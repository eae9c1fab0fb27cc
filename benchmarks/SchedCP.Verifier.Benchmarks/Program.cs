using BenchmarkDotNet.Running;

namespace SchedCP.Verifier.Benchmarks;

/// <summary>Runs the verifier benchmarks; pass BenchmarkDotNet arguments (e.g. --job short).</summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
