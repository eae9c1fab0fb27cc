using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Claims.Storage;
using SchedCP.Agents.Runtime.WorkUnits;
using Xunit.Abstractions;

namespace SchedCP.Agents.Runtime.Tests.Claims.Storage;

/// <summary>
/// Real processes (SchedCP.Agents.Runtime.ClaimWorker) claiming the same units through one database, one of them
/// killed with SIGKILL while it holds a lease. Waits are on conditions with generous limits, never on sleeps, so a
/// loaded machine makes the test slower, not flaky.
/// </summary>
[Collection(LockStoreTests.Name)]
public sealed class MultiProcessClaimTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Theory]
    [MemberData(nameof(SharedStores))]
    public async Task Processes_never_hold_one_unit_together_and_a_killed_holders_lease_is_reclaimed_after_it_expires(string kind)
    {
        var folder = TestLockStore.NewFolder();
        var connectionString = kind == TestLockStore.PostgreSql ? PostgreSqlServer.Instance.NewDatabase() : null;
        var database = connectionString is null ? Path.Combine(folder, "locks.db") : "postgresql:" + connectionString;
        var stopFile = Path.Combine(folder, "stop");
        var lines = new ConcurrentQueue<(string Worker, string Line)>();
        var victimTtl = TimeSpan.FromSeconds(8);
        var workers = new List<Process>();
        try
        {
            // The victim only claims unit-0 and holds it far past its TTL; the others cycle over both units.
            var victim = Start("victim", units: 1, ttl: victimTtl, hold: TimeSpan.FromMinutes(10));
            workers.Add(victim);
            workers.Add(Start("worker-a", units: 2, ttl: TimeSpan.FromSeconds(60), hold: TimeSpan.FromMilliseconds(20)));
            workers.Add(Start("worker-b", units: 2, ttl: TimeSpan.FromSeconds(60), hold: TimeSpan.FromMilliseconds(20)));
            workers.Add(Start("worker-c", units: 2, ttl: TimeSpan.FromSeconds(60), hold: TimeSpan.FromMilliseconds(20)));

            var victimGrant = await WaitFor(() => Events("victim", "GRANT").FirstOrDefault(), "the victim's grant");
            victim.Kill();
            await victim.WaitForExitAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var victimToken = Token(victimGrant);
            var victimExpiry = Ticks(victimGrant[5]);
            output.WriteLine($"killed the victim holding unit-0 with token {victimToken}, {(victimExpiry - killedAt).TotalSeconds:F1} s before its lease expires");

            var reclaim = await WaitFor(() => Grants().FirstOrDefault(g => g[1] == "unit-0" && Token(g) > victimToken), "unit-0 granted again after the kill");
            await WaitFor(() => Grants().Count(g => Token(g) > Token(reclaim)) >= 60 ? "enough" : null, "sixty more grants after the reclaim");
            await File.WriteAllTextAsync(stopFile, "stop");
            foreach (var worker in workers.Skip(1))
            {
                using var exited = new CancellationTokenSource(Patience);
                await worker.WaitForExitAsync(exited.Token);
            }

            var all = Grants().ToList();
            output.WriteLine($"{all.Count} grants across {workers.Count} processes; unit-0 reclaimed with token {Token(reclaim)} {(Ticks(reclaim[4]) - victimExpiry).TotalSeconds:F1} s after the victim's lease expired");
            Assert.DoesNotContain(lines, l => l.Line.StartsWith("REFUSED", StringComparison.Ordinal));
            Assert.True(Ticks(reclaim[4]) >= victimExpiry, "unit-0 was granted again before the killed holder's lease expired");
            Assert.Equal(all.Count, all.Select(Token).Distinct().Count());
            AssertNoUnitHeldTwiceAtOnce(all);

            // The killed holder's token is refused everywhere now, and a restarted table keeps counting up.
            using var store = connectionString is null ? WorkUnitLockStore.Sqlite(database) : WorkUnitLockStore.PostgreSql(connectionString);
            var table = new WorkUnitLockTable(TimeProvider.System, store);
            var stale = table.ValidateFencing("victim", WorkUnit.Process("unit-0"), ClaimMode.Exclusive, victimToken);
            Assert.Equal(RuntimeErrorCode.StaleFencingToken, stale.Failure?.Kind);
            var next = table.TryClaim("after-restart", [Claim.Exclusive(WorkUnit.Process("unit-0"))], TimeSpan.FromSeconds(30)).GetValueOrThrow();
            Assert.True(next.FencingToken > all.Max(Token), $"token {next.FencingToken} after a restart is not above {all.Max(Token)}");
        }
        finally
        {
            foreach (var worker in workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill();
                }

                worker.Dispose();
            }

            Directory.Delete(folder, recursive: true);
        }

        Process Start(string id, int units, TimeSpan ttl, TimeSpan hold)
        {
            var program = Path.Combine(AppContext.BaseDirectory, "SchedCP.Agents.Runtime.ClaimWorker.dll");
            Assert.True(File.Exists(program), $"missing {program}");
            var start = new ProcessStartInfo("dotnet", [program, database, id, Number(units), Number((int)ttl.TotalMilliseconds), Number((int)hold.TotalMilliseconds), stopFile])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lines.Enqueue((id, e.Data));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lines.Enqueue((id, "STDERR " + e.Data));
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        IEnumerable<string[]> Events(string worker, string kind) =>
            lines.Where(l => l.Worker == worker && l.Line.StartsWith(kind + " ", StringComparison.Ordinal)).Select(l => l.Line.Split(' '));

        IEnumerable<string[]> Grants() =>
            lines.Where(l => l.Line.StartsWith("GRANT ", StringComparison.Ordinal)).Select(l => l.Line.Split(' ').Append(l.Worker).ToArray());

        void AssertNoUnitHeldTwiceAtOnce(List<string[]> grants)
        {
            var ends = lines.Where(l => l.Line.StartsWith("RELEASE ", StringComparison.Ordinal)).Select(l => l.Line.Split(' '))
                .ToDictionary(r => Token(r), r => Ticks(r[3]));
            foreach (var unit in grants.GroupBy(g => g[1]))
            {
                // A lease lasts from its grant to its release, or to its expiry when it was never released (the victim).
                var held = unit.Select(g => (Token: Token(g), Worker: g[^1], Start: Ticks(g[4]), End: ends.TryGetValue(Token(g), out var end) ? end : Ticks(g[5])))
                    .OrderBy(h => h.Start).ToList();
                for (var i = 1; i < held.Count; i++)
                {
                    Assert.True(held[i].Start >= held[i - 1].End,
                        $"{unit.Key}: {held[i].Worker} was granted token {held[i].Token} at {held[i].Start:O} while {held[i - 1].Worker} held token {held[i - 1].Token} until {held[i - 1].End:O}");
                    Assert.True(held[i].Token > held[i - 1].Token, $"{unit.Key}: token {held[i].Token} granted after {held[i - 1].Token}");
                }
            }
        }

        async Task<T> WaitFor<T>(Func<T?> probe, string what)
            where T : class
        {
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < Patience)
            {
                if (probe() is { } found)
                {
                    return found;
                }

                if (workers.Skip(1).FirstOrDefault(w => w.HasExited) is { } gone)
                {
                    Assert.Fail($"a worker exited with {gone.ExitCode} while waiting for {what}: {string.Join("\n", lines.Select(l => l.Worker + ": " + l.Line))}");
                }

                await Task.Delay(50);
            }

            Assert.Fail($"no {what} within {Patience}: {string.Join("\n", lines.Select(l => l.Worker + ": " + l.Line))}");
            return null!;
        }
    }

    public static TheoryData<string> SharedStores => TestLockStore.SharedKinds;

    [Theory]
    [MemberData(nameof(SharedStores))]
    public void Fencing_tokens_keep_increasing_when_the_database_is_opened_again(string kind)
    {
        using var opened = TestLockStore.Open(kind);
        var time = new FakeTimeProvider();
        var first = new WorkUnitLockTable(time, opened.Store).TryClaim("a", [Claim.Exclusive(WorkUnit.File("x"))], TimeSpan.FromSeconds(10)).GetValueOrThrow().FencingToken;
        opened.Store.Dispose();

        using var again = opened.OpenAgain();
        var table = new WorkUnitLockTable(time, again);
        Assert.Equal(RuntimeErrorCode.WouldWait, table.TryClaim("b", [Claim.Exclusive(WorkUnit.File("x"))], TimeSpan.FromSeconds(10)).Failure?.Kind);
        time.Advance(TimeSpan.FromSeconds(11));
        var second = table.TryClaim("b", [Claim.Exclusive(WorkUnit.File("x"))], TimeSpan.FromSeconds(10)).GetValueOrThrow();
        Assert.True(second.FencingToken > first);
        Assert.Equal(RuntimeErrorCode.StaleFencingToken, table.ValidateFencing("a", WorkUnit.File("x"), ClaimMode.Exclusive, first).Failure?.Kind);
    }

    [Theory]
    [MemberData(nameof(SharedStores))]
    public async Task A_request_waiting_in_one_table_is_granted_when_another_table_on_the_same_database_releases(string kind)
    {
        using var opened = TestLockStore.Open(kind);
        using var second = opened.OpenAgain();
        var holderTable = new WorkUnitLockTable(TimeProvider.System, opened.Store);
        var waiterTable = new WorkUnitLockTable(TimeProvider.System, second);
        var held = holderTable.TryClaim("holder", [Claim.Exclusive(WorkUnit.Directory("src"))], TimeSpan.FromMinutes(5)).GetValueOrThrow();
        var ticket = waiterTable.Request("waiter", [Claim.Exclusive(WorkUnit.File("src/a.cs"))], TimeSpan.FromMinutes(5)).GetValueOrThrow();
        Assert.True(ticket.Waited);
        Assert.Single(holderTable.GetWaiters());

        holderTable.Release(held.LeaseId, "holder").GetValueOrThrow();
        var granted = (await ticket.Grant.WaitAsync(Patience)).GetValueOrThrow();
        Assert.True(granted.FencingToken > held.FencingToken);
        Assert.Equal("waiter", Assert.Single(holderTable.GetLeases()).HolderId);
    }

    [Theory]
    [MemberData(nameof(SharedStores))]
    public void A_waiting_request_whose_process_is_gone_stops_blocking_the_line_one_ttl_later(string kind)
    {
        using var opened = TestLockStore.Open(kind);
        var time = new FakeTimeProvider();
        var table = new WorkUnitLockTable(time, opened.Store);
        var held = table.TryClaim("holder", [Claim.Exclusive(WorkUnit.File("x"))], TimeSpan.FromMinutes(10)).GetValueOrThrow();
        using (var gone = opened.OpenAgain())
        {
            Assert.True(new WorkUnitLockTable(time, gone).Request("ghost", [Claim.Exclusive(WorkUnit.File("x"))], TimeSpan.FromSeconds(30)).GetValueOrThrow().Waited);
        }

        var next = table.Request("next", [Claim.Exclusive(WorkUnit.File("x"))], TimeSpan.FromSeconds(30)).GetValueOrThrow();
        Assert.Equal(["ghost", "next"], table.GetWaiters().Select(w => w.HolderId));

        // Nobody refreshes the ghost's request; this table keeps its own alive on every operation.
        time.Advance(TimeSpan.FromSeconds(31));
        table.ExpireDue();
        Assert.Equal(["next"], table.GetWaiters().Select(w => w.HolderId));
        table.Release(held.LeaseId, "holder").GetValueOrThrow();
        Assert.Equal("next", next.Grant.Result.GetValueOrThrow().HolderId);
    }

    [Fact]
    public void A_store_serves_one_table_so_no_grant_is_settled_by_the_wrong_one()
    {
        using var opened = TestLockStore.Open(TestLockStore.Sqlite);
        _ = new WorkUnitLockTable(TimeProvider.System, opened.Store);
        Assert.Throws<InvalidOperationException>(() => new WorkUnitLockTable(TimeProvider.System, opened.Store));
    }

    [PostgreSqlFact]
    public void The_postgresql_store_runs_on_a_throwaway_cluster_from_the_debian_package()
    {
        using var opened = TestLockStore.Open(TestLockStore.PostgreSql);
        var table = new WorkUnitLockTable(TimeProvider.System, opened.Store);
        Assert.Equal(1, table.TryClaim("a", [Claim.Exclusive(WorkUnit.File("x"))], TimeSpan.FromSeconds(10)).GetValueOrThrow().FencingToken);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Token(string[] line) => long.Parse(line[2], CultureInfo.InvariantCulture);

    private static DateTimeOffset Ticks(string text) => new(long.Parse(text, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
