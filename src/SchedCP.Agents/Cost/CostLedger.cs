using Microsoft.Extensions.AI;

namespace SchedCP.Agents;

/// <summary>
/// Accumulates wall time per stage (by the injected clock) and the usage of every model call, priced by a fixed price
/// or by the response's model id in a <see cref="ModelPriceTable"/>, and enforces an <see cref="AgentBudget"/>:
/// <see cref="EnsureWithinBudget"/> throws <see cref="BudgetExhaustedException"/> once a limit is reached. Thread-safe.
/// </summary>
public sealed class CostLedger
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ModelPrice? _price;
    private readonly ModelPriceTable? _prices;
    private readonly AgentBudget _budget;
    private readonly long _started;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (long Ticks, int Calls, long In, long Out, decimal Money)> _stages = new(StringComparer.Ordinal);

    /// <summary>Creates a ledger.</summary>
    /// <param name="timeProvider">The clock for wall time.</param>
    /// <param name="price">A fixed price for every call; null prices by <paramref name="prices"/>.</param>
    /// <param name="prices">Prices by the response's model id; null with no <paramref name="price"/> counts tokens but no money.</param>
    /// <param name="budget">Limits; null sets none.</param>
    public CostLedger(TimeProvider? timeProvider = null, ModelPrice? price = null, ModelPriceTable? prices = null, AgentBudget? budget = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _price = price;
        _prices = prices;
        _budget = budget ?? new AgentBudget();
        _started = _time.GetTimestamp();
    }

    /// <summary>The budget this ledger enforces.</summary>
    public AgentBudget Budget => _budget;

    /// <summary>Times a stage until the returned handle is disposed.</summary>
    /// <param name="stage">The stage's name.</param>
    public IDisposable Time(string stage)
    {
        var start = _time.GetTimestamp();
        return new Timer(() => Add(stage, _time.GetElapsedTime(start).Ticks, 0, 0, 0, 0));
    }

    /// <summary>Records one model call's usage against a stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="usage">The response's usage; null counts the call with no tokens.</param>
    /// <param name="modelId">The response's model id, for the price table.</param>
    public void RecordCall(string stage, UsageDetails? usage, string? modelId = null)
    {
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        var price = _price ?? _prices?.Find(modelId);
        var money = price is null ? 0m : (input * price.InputPerMillion + output * price.OutputPerMillion) / 1_000_000m;
        Add(stage, 0, 1, input, output, money);
    }

    /// <summary>Throws <see cref="BudgetExhaustedException"/> when a limit of the budget is reached.</summary>
    /// <param name="stage">The stage about to spend more (named in the stop).</param>
    public void EnsureWithinBudget(string stage)
    {
        if (Check(stage) is { } stop)
        {
            throw new BudgetExhaustedException(stop);
        }
    }

    /// <summary>The limit reached, or null while the budget holds.</summary>
    /// <param name="stage">The stage about to spend more.</param>
    public BudgetStop? Check(string stage)
    {
        if (_budget.Unlimited)
        {
            return null;
        }

        var report = Report();
        var wall = _time.GetElapsedTime(_started);
        return _budget switch
        {
            { MaxModelCalls: { } calls } when report.ModelCalls >= calls => new BudgetStop(BudgetLimit.ModelCalls, report.ModelCalls, calls, stage),
            { MaxTokens: { } tokens } when report.Tokens >= tokens => new BudgetStop(BudgetLimit.Tokens, report.Tokens, tokens, stage),
            { MaxCost: { } cost } when report.Cost >= cost => new BudgetStop(BudgetLimit.Cost, report.Cost, cost, stage),
            { MaxWallTime: { } limit } when wall >= limit => new BudgetStop(BudgetLimit.WallTime, (decimal)wall.TotalSeconds, (decimal)limit.TotalSeconds, stage),
            _ => null,
        };
    }

    /// <summary>The report so far.</summary>
    public CostReport Report()
    {
        lock (_gate)
        {
            return new CostReport(_order.Select(s =>
            {
                var (ticks, calls, input, output, money) = _stages[s];
                return new StageCost(s, TimeSpan.FromTicks(ticks), calls, input, output, money);
            }).ToArray());
        }
    }

    private void Add(string stage, long ticks, int calls, long input, long output, decimal money)
    {
        lock (_gate)
        {
            if (!_stages.TryGetValue(stage, out var s))
            {
                _order.Add(stage);
            }

            _stages[stage] = (s.Ticks + ticks, s.Calls + calls, s.In + input, s.Out + output, s.Money + money);
        }
    }

    private sealed class Timer(Action stop) : IDisposable
    {
        private Action? _stop = stop;

        public void Dispose() => Interlocked.Exchange(ref _stop, null)?.Invoke();
    }
}
