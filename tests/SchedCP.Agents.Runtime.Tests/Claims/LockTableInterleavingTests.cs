using FsCheck.Xunit;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;
using Xunit.Abstractions;

namespace SchedCP.Agents.Runtime.Tests.Claims;

[Collection(LockStoreTests.Name)]
public sealed class LockTableInterleavingTests(ITestOutputHelper output)
{
    private const int SeededInterleavings = 4000;
    private const int OperationsPerInterleaving = 80;

    // A durable store commits every operation to disk, so it runs a slice of the seeds (the same first ones).
    private const int SeededInterleavingsOnDisk = 160;
    private const int SeededInterleavingsReadBack = 50;

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public void Mutual_exclusion_fifo_and_fencing_hold_across_thousands_of_seeded_interleavings_with_pauses_and_expiries(string store)
    {
        var seeds = store switch
        {
            TestLockStore.Memory => SeededInterleavings,
            TestLockStore.SqliteReadBack or TestLockStore.PostgreSql => SeededInterleavingsReadBack,
            _ => SeededInterleavingsOnDisk,
        };
        var total = Simulate(store, seeds);

        output.WriteLine($"store={store} seeded interleavings={seeds} {total}");
        if (store != TestLockStore.Memory)
        {
            // Same seeds, same decisions: a durable store changes where the state lives, not one grant, wait or expiry.
            Assert.Equal(Simulate(TestLockStore.Memory, seeds).ToString(), total.ToString());
        }

        Assert.Empty(total.FifoViolations);
        // The run must actually exercise the dangerous paths, or it proves nothing (4000 seeds: more than 1000 each).
        var least = seeds / 4;
        Assert.True(total.StaleWritesRefused > least, total.ToString());
        Assert.True(total.LeasesExpired > least, total.ToString());
        Assert.True(total.Waits > least, total.ToString());
    }

    public static TheoryData<string> StoreKinds => TestLockStore.Kinds;

    private static SimulationCounts Simulate(string store, int seeds)
    {
        var total = new SimulationCounts();
        for (var seed = 0; seed < seeds; seed++)
        {
            var random = new Random(seed);
            var ops = Enumerable.Range(0, OperationsPerInterleaving * 3).Select(_ => random.Next(0, 10_000)).ToArray();
            using var opened = TestLockStore.Open(store);
            var simulation = new LockTableSimulation(agents: 2 + (seed % 5), opened.Store);
            var failure = simulation.Run(ops);
            Assert.True(failure is null, $"store {store} seed {seed}: {failure}");
            total.Add(simulation.Counts);
        }

        return total;
    }

    [Property(MaxTest = 1500)]
    public bool Mutual_exclusion_fifo_and_fencing_hold_for_generated_operation_sequences(int[] ops, byte agents)
    {
        var simulation = new LockTableSimulation(2 + (agents % 4));
        var failure = simulation.Run(ops);
        PropertyRunCounter.Record(simulation.Counts);
        return failure is null && simulation.Counts.FifoViolations.Count == 0;
    }

    [Property(MaxTest = 60)]
    public bool Mutual_exclusion_fifo_and_fencing_hold_for_generated_operation_sequences_over_state_read_back_from_sqlite(int[] ops, byte agents)
    {
        using var opened = TestLockStore.Open(TestLockStore.SqliteReadBack);
        var simulation = new LockTableSimulation(2 + (agents % 4), opened.Store);
        var failure = simulation.Run(ops);
        return failure is null && simulation.Counts.FifoViolations.Count == 0;
    }
}

internal static class PropertyRunCounter
{
    private static long _runs;

    public static long Runs => Interlocked.Read(ref _runs);

    public static void Record(SimulationCounts counts) => Interlocked.Increment(ref _runs);
}
