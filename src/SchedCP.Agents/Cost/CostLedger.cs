using Microsoft.Extensions.AI;

namespace SchedCP.Agents;

/// <summary>
/// Accumulates wall time per stage (by the injected clock) and the usage of every model call, priced by a table.
/// Thread-safe.
/// </summary>
public sealed class CostLedger
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ModelPrice? _price;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (long Ticks, int Calls, long In, long Out)> _stages = new(StringComparer.Ordinal);

    /// <summary>Creates a ledger.</summary>
    /// <param name="timeProvider">The clock for wall time.</param>
    /// <param name="price">The model's price; null counts tokens but no money.</param>
    public CostLedger(TimeProvider? timeProvider = null, ModelPrice? price = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _price = price;
    }

    /// <summary>Times a stage until the returned handle is disposed.</summary>
    /// <param name="stage">The stage's name.</param>
    public IDisposable Time(string stage)
    {
        var start = _time.GetTimestamp();
        return new Timer(() => Add(stage, _time.GetElapsedTime(start).Ticks, 0, 0, 0));
    }

    /// <summary>Records one model call's usage against a stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="usage">The response's usage; null counts the call with no tokens.</param>
    public void RecordCall(string stage, UsageDetails? usage) =>
        Add(stage, 0, 1, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);

    /// <summary>The report so far.</summary>
    public CostReport Report()
    {
        lock (_gate)
        {
            return new CostReport(_order.Select(s =>
            {
                var (ticks, calls, input, output) = _stages[s];
                var money = _price is null ? 0m : (input * _price.InputPerMillion + output * _price.OutputPerMillion) / 1_000_000m;
                return new StageCost(s, TimeSpan.FromTicks(ticks), calls, input, output, money);
            }).ToArray());
        }
    }

    private void Add(string stage, long ticks, int calls, long input, long output)
    {
        lock (_gate)
        {
            if (!_stages.TryGetValue(stage, out var s))
            {
                _order.Add(stage);
            }

            _stages[stage] = (s.Ticks + ticks, s.Calls + calls, s.In + input, s.Out + output);
        }
    }

    private sealed class Timer(Action stop) : IDisposable
    {
        private Action? _stop = stop;

        public void Dispose() => Interlocked.Exchange(ref _stop, null)?.Invoke();
    }
}
