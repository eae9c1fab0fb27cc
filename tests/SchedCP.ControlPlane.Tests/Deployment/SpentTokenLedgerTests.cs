using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Repository.Tokens;
using SchedCP.Verifier.Tokens;

namespace SchedCP.ControlPlane.Tests.Deployment;

/// <summary>Single use: the spent-token ledger on a real SQLite file.</summary>
public sealed class SpentTokenLedgerTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"schedcp-ledger-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_token_is_spent_once_and_the_second_spend_names_the_first()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var host = new MachineHostIdentity("host-a");
        var token = new DeploymentTokenIssuer(key, host, _time).Issue("fifo", new string('a', 64), null, new Dictionary<string, string>(), "static:pass");
        var validation = new DeploymentTokenValidator(key, host, _time).Validate(token, "fifo");
        Assert.True(validation.IsValid);
        var ledger = new SpentTokenLedger(_db, _time);

        var first = await ledger.TrySpendAsync(validation.Token!.TokenId, "fifo");
        Assert.True(first.Spent);
        await ledger.RecordOutcomeAsync(validation.Token.TokenId, "running");

        var second = await ledger.TrySpendAsync(validation.Token.TokenId, "fifo");
        Assert.False(second.Spent);
        Assert.Equal(_time.GetUtcNow(), second.PreviouslySpentAt);
        Assert.Equal("running", second.PreviousOutcome);
        Assert.Contains("already used", second.Reason, StringComparison.Ordinal);
        Assert.Contains("Verify the candidate again", second.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ledger_survives_a_new_instance_on_the_same_file()
    {
        Assert.True((await new SpentTokenLedger(_db, _time).TrySpendAsync("jti-1", "fifo")).Spent);
        Assert.False((await new SpentTokenLedger(_db, _time).TrySpendAsync("jti-1", "fifo")).Spent);
        Assert.Equal("pending", (await new SpentTokenLedger(_db, _time).FindAsync("jti-1"))!.Outcome);
    }

    [Fact]
    public async Task Two_concurrent_spends_on_two_connections_have_exactly_one_winner()
    {
        var a = new SpentTokenLedger(_db, _time);
        var b = new SpentTokenLedger(_db, _time);
        await a.TrySpendAsync("warm-up", "fifo");
        for (var i = 0; i < 50; i++)
        {
            var jti = $"race-{i}";
            using var start = new Barrier(2);
            var left = Task.Run(() => { start.SignalAndWait(); return a.TrySpendAsync(jti, "fifo"); });
            var right = Task.Run(() => { start.SignalAndWait(); return b.TrySpendAsync(jti, "fifo"); });
            var results = await Task.WhenAll(left, right);
            Assert.Equal(1, results.Count(r => r.Spent));
        }
    }

    public void Dispose()
    {
        foreach (var f in new[] { _db, _db + "-wal", _db + "-shm", _db + "-journal" })
        {
            File.Delete(f);
        }
    }
}
