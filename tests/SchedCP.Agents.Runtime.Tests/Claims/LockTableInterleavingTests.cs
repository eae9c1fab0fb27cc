using FsCheck.Xunit;
using Xunit.Abstractions;

namespace SchedCP.Agents.Runtime.Tests.Claims;

public sealed class LockTableInterleavingTests(ITestOutputHelper output)
{
    private const int SeededInterleavings = 4000;
    private const int OperationsPerInterleaving = 80;

    [Fact]
    public void Mutual_exclusion_fifo_and_fencing_hold_across_thousands_of_seeded_interleavings_with_pauses_and_expiries()
    {
        var total = new SimulationCounts();
        for (var seed = 0; seed < SeededInterleavings; seed++)
        {
            var random = new Random(seed);
            var ops = Enumerable.Range(0, OperationsPerInterleaving * 3).Select(_ => random.Next(0, 10_000)).ToArray();
            var simulation = new LockTableSimulation(agents: 2 + (seed % 5));
            var failure = simulation.Run(ops);
            Assert.True(failure is null, $"seed {seed}: {failure}");
            total.Add(simulation.Counts);
        }

        output.WriteLine($"seeded interleavings={SeededInterleavings} {total}");
        Assert.Empty(total.FifoViolations);
        // The run must actually exercise the dangerous paths, or it proves nothing.
        Assert.True(total.StaleWritesRefused > 1000, total.ToString());
        Assert.True(total.LeasesExpired > 1000, total.ToString());
        Assert.True(total.Waits > 1000, total.ToString());
    }

    [Property(MaxTest = 1500)]
    public bool Mutual_exclusion_fifo_and_fencing_hold_for_generated_operation_sequences(int[] ops, byte agents)
    {
        var simulation = new LockTableSimulation(2 + (agents % 4));
        var failure = simulation.Run(ops);
        PropertyRunCounter.Record(simulation.Counts);
        return failure is null && simulation.Counts.FifoViolations.Count == 0;
    }
}

internal static class PropertyRunCounter
{
    private static long _runs;

    public static long Runs => Interlocked.Read(ref _runs);

    public static void Record(SimulationCounts counts) => Interlocked.Increment(ref _runs);
}
