using System.Globalization;
using System.Text;

namespace SchedCP.Agents;

/// <summary>Tokens, money and wall time per stage, and in total.</summary>
/// <param name="Stages">One entry per stage, in the order they first ran.</param>
public sealed record CostReport(IReadOnlyList<StageCost> Stages)
{
    /// <summary>Total wall time.</summary>
    public TimeSpan Wall => TimeSpan.FromTicks(Stages.Sum(s => s.Wall.Ticks));

    /// <summary>Total model calls.</summary>
    public int ModelCalls => Stages.Sum(s => s.ModelCalls);

    /// <summary>Total tokens in and out.</summary>
    public long Tokens => Stages.Sum(s => s.InputTokens + s.OutputTokens);

    /// <summary>Total money.</summary>
    public decimal Cost => Stages.Sum(s => s.Cost);

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var s in Stages)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Stage}: {s.Wall.TotalSeconds:F1} s, {s.ModelCalls} calls, {s.InputTokens}+{s.OutputTokens} tokens, {s.Cost:0.####}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"total: {Wall.TotalSeconds:F1} s, {ModelCalls} calls, {Tokens} tokens, {Cost:0.####}");
        return text.ToString();
    }
}
