namespace SchedCP.Repository.Tests.Storage;

public class ConcurrentAccessTests
{
    [Fact]
    public async Task Readers_on_other_connections_see_only_whole_batches_while_one_writer_commits()
    {
        using var db = new TemporaryDatabase();
        var writer = db.Store();
        var profile = await writer.UpsertProfileAsync(WorkloadProfile.Create("mixed", new Dictionary<string, string> { ["kind"] = "mixed" }, db.Time.GetUtcNow()));
        const int Batches = 60;
        const int BatchSize = 5;
        using var done = new CancellationTokenSource();
        var reads = 0;

        var write = Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var runs = Enumerable.Range(0, BatchSize).Select(i => new RunRecord($"r{b}-{i}", profile.Fingerprint, "scx_rusty", new Dictionary<string, string>(), $"s{b}", i, false, new RunMetrics(MakespanSeconds: 1), db.Time.GetUtcNow())).ToList();
                await writer.AddRunsAsync(runs);

                // Let a reader in between commits, so reads really overlap the writing on two cores.
                var seen = Volatile.Read(ref reads);
                for (var spin = 0; spin < 200 && Volatile.Read(ref reads) == seen; spin++)
                {
                    await Task.Delay(1);
                }
            }

            await done.CancelAsync();
        });

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var reader = db.Store();
            var observed = new List<int>();
            while (!done.IsCancellationRequested)
            {
                var count = (await reader.GetRunsAsync(profile.Fingerprint)).Count;
                Assert.Equal(0, count % BatchSize);
                observed.Add(count);
                Interlocked.Increment(ref reads);
            }

            return observed;
        })).ToList();

        await write;
        var observations = await Task.WhenAll(readers);
        foreach (var seen in observations)
        {
            Assert.True(seen.SequenceEqual(seen.Order()), "a reader saw the run count go backwards");
        }

        Assert.Contains(observations.SelectMany(o => o), c => c > 0 && c < Batches * BatchSize);
        Assert.Equal(Batches * BatchSize, (await db.Store().GetRunsAsync(profile.Fingerprint)).Count);
        Assert.Equal("ok", await writer.CheckIntegrityAsync());
    }

    [Fact]
    public async Task Two_writers_in_different_store_instances_both_commit()
    {
        using var db = new TemporaryDatabase();
        var a = db.Store();
        var b = db.Store();
        var profile = await a.UpsertProfileAsync(WorkloadProfile.Create("w", new Dictionary<string, string> { ["k"] = "v" }, db.Time.GetUtcNow()));
        async Task Write(SqlitePolicyStore store, string prefix)
        {
            for (var i = 0; i < 40; i++)
            {
                await store.AddRunsAsync([new RunRecord($"{prefix}{i}", profile.Fingerprint, "scx_rusty", new Dictionary<string, string>(), "s", i, false, new RunMetrics(MakespanSeconds: 1), db.Time.GetUtcNow())]);
            }
        }

        await Task.WhenAll(Task.Run(() => Write(a, "a")), Task.Run(() => Write(b, "b")));
        Assert.Equal(80, (await a.GetRunsAsync(profile.Fingerprint)).Count);
    }
}
