using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Tests.Claims;

public sealed class TryClaimFastPathTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly WorkUnitLockTable _table;

    public TryClaimFastPathTests() => _table = new WorkUnitLockTable(_time);

    [Fact]
    public void Uncontended_try_claim_grants_at_once_with_increasing_fencing_tokens()
    {
        var claim = new[] { Claim.Exclusive(WorkUnit.File("src/app/main.cs")) };
        long last = 0;
        for (var i = 0; i < 100; i++)
        {
            var lease = _table.TryClaim("a", claim, Ttl).GetValueOrThrow();
            Assert.True(lease.FencingToken > last);
            last = lease.FencingToken;
            Assert.True(_table.ValidateFencing("a", WorkUnit.File("src/app/main.cs"), ClaimMode.Exclusive, lease.FencingToken).Succeeded);
            Assert.True(_table.Release(lease.LeaseId, "a").Succeeded);
        }

        Assert.Empty(_table.GetLeases());
        Assert.Equal(last, _table.LastFencingToken);
    }

    [Fact]
    public void Try_claim_refuses_a_conflict_with_a_held_lease_and_queues_nothing()
    {
        var held = _table.TryClaim("a", [Claim.Exclusive(WorkUnit.Directory("src"))], Ttl).GetValueOrThrow();

        var refused = _table.TryClaim("b", [Claim.Shared(WorkUnit.File("src/x/y.cs"))], Ttl);

        Assert.Equal(RuntimeErrorCode.WouldWait, refused.Failure!.Kind);
        Assert.Empty(_table.GetWaiters());
        _table.Release(held.LeaseId, "a");
        Assert.True(_table.TryClaim("b", [Claim.Shared(WorkUnit.File("src/x/y.cs"))], Ttl).Succeeded);
    }

    [Fact]
    public void Try_claim_does_not_barge_past_an_earlier_waiter()
    {
        var file = WorkUnit.File("doc.md");
        var reader = _table.TryClaim("a", [Claim.Shared(file)], Ttl).GetValueOrThrow();
        var writer = _table.Request("b", [Claim.Exclusive(file)], Ttl).GetValueOrThrow();
        Assert.True(writer.Waited);

        var lateReader = _table.TryClaim("c", [Claim.Shared(file)], Ttl);
        Assert.Equal(RuntimeErrorCode.WouldWait, lateReader.Failure!.Kind);

        _table.Release(reader.LeaseId, "a");
        Assert.True(writer.Grant.Result.Succeeded);
    }

    [Fact]
    public void Try_claim_sees_subtree_holders_below_a_directory()
    {
        var file = _table.TryClaim("a", [Claim.Exclusive(WorkUnit.File("src/deep/er/f.cs"))], Ttl).GetValueOrThrow();

        Assert.Equal(RuntimeErrorCode.WouldWait, _table.TryClaim("b", [Claim.Shared(WorkUnit.Directory("src/deep"))], Ttl).Failure!.Kind);
        Assert.Equal(RuntimeErrorCode.WouldWait, _table.TryClaim("b", [Claim.Shared(WorkUnit.Directory(""))], Ttl).Failure!.Kind);
        Assert.True(_table.TryClaim("b", [Claim.Shared(WorkUnit.Directory("src/other"))], Ttl).Succeeded);

        _table.Release(file.LeaseId, "a");
        Assert.True(_table.TryClaim("c", [Claim.Exclusive(WorkUnit.Directory("src/deep"))], Ttl).Succeeded);
    }

    [Fact]
    public void Try_claim_lease_expires_after_its_ttl_and_the_unit_is_free_again()
    {
        var unit = WorkUnit.File("a.cs");
        var lease = _table.TryClaim("a", [Claim.Exclusive(unit)], Ttl).GetValueOrThrow();

        _time.Advance(Ttl);

        var next = _table.TryClaim("b", [Claim.Exclusive(unit)], Ttl).GetValueOrThrow();
        Assert.True(next.FencingToken > lease.FencingToken);
        Assert.Equal(RuntimeErrorCode.StaleFencingToken, _table.ValidateFencing("a", unit, ClaimMode.Exclusive, lease.FencingToken).Failure!.Kind);
    }

    [Fact]
    public void Try_claim_validates_its_input_like_request()
    {
        Assert.Equal(RuntimeErrorCode.InvalidInput, _table.TryClaim(" ", [Claim.Exclusive(WorkUnit.File("a"))], Ttl).Failure!.Kind);
        Assert.Equal(RuntimeErrorCode.InvalidInput, _table.TryClaim("a", [], Ttl).Failure!.Kind);
        Assert.Equal(RuntimeErrorCode.InvalidInput, _table.TryClaim("a", [Claim.Exclusive(WorkUnit.File("a"))], TimeSpan.Zero).Failure!.Kind);
    }

    [Fact]
    public void Try_claim_is_refused_while_the_agent_waits()
    {
        var file = WorkUnit.File("a.cs");
        _table.TryClaim("a", [Claim.Exclusive(file)], Ttl).GetValueOrThrow();
        Assert.True(_table.Request("b", [Claim.Exclusive(file)], Ttl).GetValueOrThrow().Waited);

        Assert.Equal(RuntimeErrorCode.AlreadyWaiting, _table.TryClaim("b", [Claim.Exclusive(WorkUnit.File("other.cs"))], Ttl).Failure!.Kind);
    }

    [Fact]
    public void Work_units_compare_by_kind_and_name_only()
    {
        Assert.Equal(WorkUnit.File("src/a.cs"), WorkUnit.File("./src//a.cs"));
        Assert.Equal(WorkUnit.File("src/a.cs").GetHashCode(), WorkUnit.File("src\\a.cs").GetHashCode());
        Assert.NotEqual(WorkUnit.File("src/a"), WorkUnit.Directory("src/a"));
        Assert.NotEqual(WorkUnit.Process("src"), WorkUnit.Directory("src"));
    }
}
