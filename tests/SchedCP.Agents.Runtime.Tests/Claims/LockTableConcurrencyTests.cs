using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;
using SchedCP.Agents.Runtime.WorkUnits;
using Xunit.Abstractions;

namespace SchedCP.Agents.Runtime.Tests.Claims;

[Collection(LockStoreTests.Name)]
public sealed class LockTableConcurrencyTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task Concurrent_writers_never_overlap_and_accepted_tokens_never_go_backwards(string store)
    {
        var time = new FakeTimeProvider();
        using var opened = TestLockStore.Open(store);
        var table = new WorkUnitLockTable(time, opened.Store);
        var units = new[] { WorkUnit.File("a"), WorkUnit.File("b"), WorkUnit.Directory("") };
        var gates = units.ToDictionary(u => u.Name, _ => new object());
        var lastToken = units.ToDictionary(u => u.Name, _ => 0L);
        var inside = units.ToDictionary(u => u.Name, _ => 0);
        long accepted = 0, refused = 0, iterations = 0;
        var failures = new List<string>();
        // A database store pays a round trip or a disk sync per operation: fewer iterations, more patience.
        var onDisk = store != TestLockStore.Memory;
        var maxIterations = onDisk ? 300 : 20_000;
        using var stop = new CancellationTokenSource(onDisk ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(4));

        async Task Worker(int id)
        {
            var random = new Random(id);
            var agent = "w" + id;
            while (!stop.IsCancellationRequested && Interlocked.Read(ref iterations) < maxIterations)
            {
                Interlocked.Increment(ref iterations);
                var unit = units[random.Next(units.Length)];
                var ticket = table.Request(agent, [Claim.Exclusive(unit)], TimeSpan.FromSeconds(5)).GetValueOrThrow();
                var grant = await ticket.Grant.WaitAsync(TimeSpan.FromSeconds(10));
                var lease = grant.GetValueOrThrow();
                if (random.Next(4) == 0)
                {
                    time.Advance(TimeSpan.FromSeconds(random.Next(1, 7))); // a pause that may outlive the lease
                    table.ExpireDue();
                }

                var target = unit.Kind == WorkUnitKind.Directory ? WorkUnit.File("a") : unit;
                foreach (var key in new[] { unit.Name, target.Name }.Distinct())
                {
                    lock (gates[key])
                    {
                        if (!table.ValidateFencing(agent, target, ClaimMode.Exclusive, lease.FencingToken).Succeeded)
                        {
                            Interlocked.Increment(ref refused);
                            continue;
                        }

                        if (lastToken[key] > lease.FencingToken)
                        {
                            lock (failures)
                            {
                                failures.Add($"{agent} wrote {key} with token {lease.FencingToken} after {lastToken[key]}");
                            }
                        }

                        lastToken[key] = lease.FencingToken;
                        Interlocked.Increment(ref accepted);
                    }
                }

                table.Release(lease.LeaseId, agent);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Worker(i))));

        output.WriteLine($"store={store} concurrent iterations={iterations} writesAccepted={accepted} staleWritesRefused={refused}");
        Assert.Empty(failures);
        Assert.True(accepted > 100);
        Assert.True(refused > 0, "no pause outlived a lease, so fencing was not exercised");
        _ = inside;
    }

    public static TheoryData<string> StoreKinds => TestLockStore.Kinds;
}
