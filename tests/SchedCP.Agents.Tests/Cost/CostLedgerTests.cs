using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace SchedCP.Agents.Tests.Cost;

public sealed class CostLedgerTests
{
    [Fact]
    public void Wall_time_tokens_and_money_add_up_per_stage_in_the_order_stages_first_ran()
    {
        var time = new FakeTimeProvider();
        var ledger = new CostLedger(time, new ModelPrice(InputPerMillion: 2m, OutputPerMillion: 10m));

        using (ledger.Time("planning"))
        {
            time.Advance(TimeSpan.FromSeconds(3));
            ledger.RecordCall("planning", new UsageDetails { InputTokenCount = 500_000, OutputTokenCount = 100_000 });
        }

        using (ledger.Time("screening"))
        {
            time.Advance(TimeSpan.FromSeconds(40));
        }

        ledger.RecordCall("planning", null);
        var report = ledger.Report();

        Assert.Equal(["planning", "screening"], report.Stages.Select(s => s.Stage));
        Assert.Equal(TimeSpan.FromSeconds(43), report.Wall);
        Assert.Equal(2, report.Stages[0].ModelCalls);
        Assert.Equal(600_000, report.Tokens);
        Assert.Equal(2m, report.Cost);
    }

    [Fact]
    public void Disposing_a_timer_twice_counts_it_once()
    {
        var time = new FakeTimeProvider();
        var ledger = new CostLedger(time);
        var timer = ledger.Time("final");
        time.Advance(TimeSpan.FromSeconds(5));
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));
        timer.Dispose();

        Assert.Equal(TimeSpan.FromSeconds(5), ledger.Report().Wall);
    }
}
