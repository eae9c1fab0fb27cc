using Microsoft.Extensions.Time.Testing;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents.Tests.Budget;

public sealed class BudgetTests
{
    [Fact]
    public async Task A_model_that_keeps_calling_tools_is_stopped_at_its_call_budget_with_a_typed_stop()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var model = new ScriptedChatClient();
        for (var i = 0; i < 6; i++)
        {
            model.CallTool("search_policies", new() { ["query"] = "long tail", ["limit"] = 2 });
        }

        var ledger = new CostLedger(budget: new AgentBudget { MaxModelCalls = 3 });

        var stopped = await Assert.ThrowsAsync<BudgetExhaustedException>(() => new PlanningAgent(repo.Repository).PlanAsync(report, [], null, 6, model, ledger));

        Assert.Equal(BudgetLimit.ModelCalls, stopped.Stop.Limit);
        Assert.Equal(3, stopped.Stop.Spent);
        Assert.Equal("planning", stopped.Stop.Stage);
        Assert.Equal(3, model.Remaining);
        Assert.Equal(3, ledger.Report().ModelCalls);
    }

    [Fact]
    public void Tokens_money_and_wall_time_each_stop_a_run_once_reached()
    {
        var time = new FakeTimeProvider();
        var tokens = new CostLedger(time, budget: new AgentBudget { MaxTokens = 1000 });
        var money = new CostLedger(time, new ModelPrice(3m, 15m), budget: new AgentBudget { MaxCost = 0.01m });
        var wall = new CostLedger(time, budget: new AgentBudget { MaxWallTime = TimeSpan.FromMinutes(5) });

        tokens.RecordCall("planning", new() { InputTokenCount = 900, OutputTokenCount = 50 });
        tokens.EnsureWithinBudget("planning");
        tokens.RecordCall("planning", new() { InputTokenCount = 40, OutputTokenCount = 10 });
        money.RecordCall("planning", new() { InputTokenCount = 2000, OutputTokenCount = 300 });
        wall.EnsureWithinBudget("observation");
        time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(BudgetLimit.Tokens, Assert.Throws<BudgetExhaustedException>(() => tokens.EnsureWithinBudget("execution")).Stop.Limit);
        Assert.Equal(BudgetLimit.Cost, money.Check("execution")!.Limit);
        Assert.Equal(0.0105m, money.Report().Cost);
        var late = wall.Check("learning")!;
        Assert.Equal(BudgetLimit.WallTime, late.Limit);
        Assert.Equal(360m, late.Spent);
    }

    [Fact]
    public async Task Each_call_is_priced_by_its_model_id_from_the_price_table_and_unknown_models_cost_tokens_only()
    {
        using var repo = Observations.Repository();
        var report = await Describe(repo);
        var model = new ScriptedChatClient()
            .Reply("not json", inputTokens: 1_000_000, outputTokens: 100_000, modelId: "gpt-4o-2024-08-06")
            .Reply("""{"kind": "reconfigure", "candidates": [{"policy": "fifo"}]}""", inputTokens: 1_000_000, outputTokens: 0, modelId: "my-local-llama");
        var ledger = new CostLedger(prices: ModelPriceTable.Default);

        await new PlanningAgent(repo.Repository).PlanAsync(report, [], null, 6, model, ledger);

        // gpt-4o: 2.50 per million in, 10 per million out; the local model has no price.
        Assert.Equal(2.5m + 1m, ledger.Report().Cost);
        Assert.Equal(2_100_000, ledger.Report().Tokens);
        Assert.Equal(new ModelPrice(0.15m, 0.60m), ModelPriceTable.Default.Find("GPT-4o-mini-2024-07-18"));
        Assert.Null(ModelPriceTable.Default.Find(null));
    }

    private static async Task<ObservationReport> Describe(TemporaryRepository repo) =>
        await new ObservationAgent(new WorkloadObserver(new WorkloadRunner()), repo.Repository)
            .DescribeAsync(new OptimizationRequest(Observations.LongTail), Observations.Batch()) with { Metrics = ["makespan_ms"] };
}
