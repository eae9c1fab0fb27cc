using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Tests.Claims;

public sealed class WorkUnitLockTableTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly WorkUnitLockTable _table;

    public WorkUnitLockTableTests() => _table = new WorkUnitLockTable(_time);

    private ClaimTicket Claim(string agent, params Claim[] claims) => _table.Request(agent, claims, Ttl).GetValueOrThrow();

    [Fact]
    public void Exclusive_claims_on_one_file_are_granted_in_fifo_order()
    {
        var file = WorkUnit.File("src/a.cs");
        var first = Claim("a", Runtime.WorkUnits.Claim.Exclusive(file));
        var second = Claim("b", Runtime.WorkUnits.Claim.Exclusive(file));
        var third = Claim("c", Runtime.WorkUnits.Claim.Exclusive(file));

        Assert.False(first.Waited);
        Assert.True(second.Waited);
        Assert.Equal(["b", "c"], _table.GetWaiters().Select(w => w.HolderId));

        _table.Release(first.Grant.Result.Value!.LeaseId, "a");
        Assert.True(second.Grant.IsCompletedSuccessfully);
        Assert.False(third.Grant.IsCompleted);

        _table.Release(second.Grant.Result.Value!.LeaseId, "b");
        Assert.True(third.Grant.Result.Succeeded);
    }

    [Fact]
    public void Shared_claims_coexist_but_block_an_exclusive_claim()
    {
        var file = WorkUnit.File("doc.md");
        var r1 = Claim("a", Runtime.WorkUnits.Claim.Shared(file));
        var r2 = Claim("b", Runtime.WorkUnits.Claim.Shared(file));
        var w = Claim("c", Runtime.WorkUnits.Claim.Exclusive(file));

        Assert.False(r1.Waited);
        Assert.False(r2.Waited);
        Assert.True(w.Waited);
    }

    [Fact]
    public void Later_shared_claim_does_not_barge_past_a_waiting_exclusive_claim()
    {
        var file = WorkUnit.File("doc.md");
        var reader = Claim("a", Runtime.WorkUnits.Claim.Shared(file));
        var writer = Claim("b", Runtime.WorkUnits.Claim.Exclusive(file));
        var lateReader = Claim("c", Runtime.WorkUnits.Claim.Shared(file));

        Assert.True(writer.Waited);
        Assert.True(lateReader.Waited);

        _table.Release(reader.Grant.Result.Value!.LeaseId, "a");
        Assert.True(writer.Grant.IsCompletedSuccessfully);
        Assert.False(lateReader.Grant.IsCompleted);
    }

    [Fact]
    public void Directory_claim_conflicts_with_claims_inside_it_and_not_beside_it()
    {
        Claim("a", Runtime.WorkUnits.Claim.Exclusive(WorkUnit.File("src/lib/x.cs")));

        Assert.True(Claim("b", Runtime.WorkUnits.Claim.Shared(WorkUnit.Directory("src"))).Waited);
        Assert.False(Claim("c", Runtime.WorkUnits.Claim.Exclusive(WorkUnit.Directory("srcx"))).Waited);
        // src/y.cs is free, but the waiting claim on src covers it: no barging.
        Assert.True(Claim("d", Runtime.WorkUnits.Claim.Exclusive(WorkUnit.File("src/y.cs"))).Waited);
        Assert.False(Claim("e", Runtime.WorkUnits.Claim.Exclusive(WorkUnit.File("lib/y.cs"))).Waited);
    }

    [Fact]
    public void Process_resource_is_exclusive_and_independent_of_paths()
    {
        Claim("a", Runtime.WorkUnits.Claim.Exclusive(ProcessResources.Test));

        Assert.True(Claim("b", Runtime.WorkUnits.Claim.Exclusive(ProcessResources.Test)).Waited);
        Assert.False(Claim("c", Runtime.WorkUnits.Claim.Exclusive(WorkUnit.Directory(""))).Waited);
    }

    [Fact]
    public void Stale_fencing_token_is_refused_after_lease_expiry()
    {
        var file = WorkUnit.File("a.txt");
        var lease = Claim("a", Runtime.WorkUnits.Claim.Exclusive(file)).Grant.Result.Value!;
        Assert.True(_table.ValidateFencing("a", file, ClaimMode.Exclusive, lease.FencingToken).Succeeded);

        _time.Advance(Ttl + TimeSpan.FromSeconds(1));
        var expired = _table.ValidateFencing("a", file, ClaimMode.Exclusive, lease.FencingToken);
        Assert.Equal(RuntimeErrorCode.StaleFencingToken, expired.Failure?.Kind);

        var next = Claim("b", Runtime.WorkUnits.Claim.Exclusive(file)).Grant.Result.Value!;
        Assert.True(next.FencingToken > lease.FencingToken);
        Assert.Equal(RuntimeErrorCode.StaleFencingToken, _table.ValidateFencing("a", file, ClaimMode.Exclusive, lease.FencingToken).Failure?.Kind);
        Assert.True(_table.ValidateFencing("b", file, ClaimMode.Exclusive, next.FencingToken).Succeeded);
    }

    [Fact]
    public void Heartbeat_keeps_a_lease_alive_past_its_first_ttl()
    {
        var file = WorkUnit.File("a.txt");
        var lease = Claim("a", Runtime.WorkUnits.Claim.Exclusive(file)).Grant.Result.Value!;
        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.True(_table.Renew(lease.LeaseId, "a").Succeeded);
        _time.Advance(Ttl - TimeSpan.FromSeconds(1));

        Assert.True(_table.ValidateFencing("a", file, ClaimMode.Exclusive, lease.FencingToken).Succeeded);
        Assert.True(Claim("b", Runtime.WorkUnits.Claim.Exclusive(file)).Waited);
    }

    [Fact]
    public void Expired_lease_cannot_be_renewed()
    {
        var lease = Claim("a", Runtime.WorkUnits.Claim.Exclusive(WorkUnit.File("a.txt"))).Grant.Result.Value!;
        _time.Advance(Ttl);

        Assert.Equal(RuntimeErrorCode.LeaseNotFound, _table.Renew(lease.LeaseId, "a").Failure?.Kind);
    }

    [Fact]
    public void Expiry_grants_the_next_waiter()
    {
        var file = WorkUnit.File("a.txt");
        Claim("a", Runtime.WorkUnits.Claim.Exclusive(file));
        var waiting = Claim("b", Runtime.WorkUnits.Claim.Exclusive(file));
        _time.Advance(Ttl);

        Assert.Equal(1, _table.ExpireDue());
        Assert.True(waiting.Grant.Result.Succeeded);
    }

    [Fact]
    public void Crossed_incremental_claims_are_refused_as_a_deadlock_naming_the_cycle()
    {
        var x = WorkUnit.File("x");
        var y = WorkUnit.File("y");
        Claim("a", Runtime.WorkUnits.Claim.Exclusive(x));
        Claim("b", Runtime.WorkUnits.Claim.Exclusive(y));
        Assert.True(Claim("a", Runtime.WorkUnits.Claim.Exclusive(y)).Waited);

        var refused = _table.Request("b", [Runtime.WorkUnits.Claim.Exclusive(x)], Ttl);

        Assert.Equal(RuntimeErrorCode.DeadlockDetected, refused.Failure?.Kind);
        Assert.Contains("b -> a -> b", refused.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agent_cannot_wait_for_two_requests_at_once()
    {
        var file = WorkUnit.File("a");
        Claim("a", Runtime.WorkUnits.Claim.Exclusive(file));
        Claim("b", Runtime.WorkUnits.Claim.Exclusive(file));

        Assert.Equal(RuntimeErrorCode.AlreadyWaiting, _table.Request("b", [Runtime.WorkUnits.Claim.Exclusive(WorkUnit.File("c"))], Ttl).Failure?.Kind);
    }

    [Fact]
    public void Release_all_cancels_the_wait_and_hands_units_to_the_next_waiter()
    {
        var file = WorkUnit.File("a");
        Claim("a", Runtime.WorkUnits.Claim.Exclusive(file));
        var b = Claim("b", Runtime.WorkUnits.Claim.Exclusive(file));
        var c = Claim("c", Runtime.WorkUnits.Claim.Exclusive(file));

        _table.ReleaseAll("b");
        Assert.Equal(RuntimeErrorCode.ClaimCancelled, b.Grant.Result.Failure?.Kind);
        _table.ReleaseAll("a");
        Assert.True(c.Grant.Result.Succeeded);
    }

    [Fact]
    public void Claim_with_bad_input_is_refused_with_the_field_named()
    {
        var empty = _table.Request("a", [], Ttl);
        var ttl = _table.Request("a", [Runtime.WorkUnits.Claim.Exclusive(WorkUnit.File("a"))], TimeSpan.Zero);

        Assert.Contains("claims", empty.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("ttl", ttl.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fencing_tokens_only_increase_for_a_unit()
    {
        var file = WorkUnit.File("a");
        long last = 0;
        for (var i = 0; i < 20; i++)
        {
            var lease = Claim("a" + (i % 3), Runtime.WorkUnits.Claim.Exclusive(file)).Grant.Result.Value!;
            Assert.True(lease.FencingToken > last);
            last = lease.FencingToken;
            _table.Release(lease.LeaseId, lease.HolderId);
        }
    }
}
