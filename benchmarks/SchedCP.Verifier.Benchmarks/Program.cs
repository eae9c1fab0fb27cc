using BenchmarkDotNet.Running;

namespace SchedCP.Verifier.Benchmarks;

/// <summary>
/// Runs the verifier benchmarks; pass BenchmarkDotNet arguments (e.g. --job short), or <c>--gauntlet NAME...</c> for
/// the whole gauntlet's wall time per candidate in the sandbox.
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "--gauntlet")
        {
            await Gauntlet.RunAsync(args.Length > 1 ? args[1..] : ["fifo", "vtime", "stall", "error"]).ConfigureAwait(false);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
