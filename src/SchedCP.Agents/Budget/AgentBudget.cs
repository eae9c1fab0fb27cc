using System.ComponentModel.DataAnnotations;

namespace SchedCP.Agents;

/// <summary>
/// How much one optimisation run may spend on the model and on time. Every limit is optional (null: no limit); the
/// first one reached stops the run with a <see cref="BudgetStop"/> before the next model call or role starts.
/// </summary>
public sealed class AgentBudget
{
    /// <summary>Most model calls (each round trip counts, tool-calling ones included).</summary>
    [Range(1, int.MaxValue)]
    public int? MaxModelCalls { get; set; }

    /// <summary>Most tokens, input and output together, by the responses' usage.</summary>
    [Range(1L, long.MaxValue)]
    public long? MaxTokens { get; set; }

    /// <summary>Most money, by the price table (in the table's currency).</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? MaxCost { get; set; }

    /// <summary>Longest wall time of the whole run.</summary>
    public TimeSpan? MaxWallTime { get; set; }

    /// <summary>True when no limit is set.</summary>
    public bool Unlimited => MaxModelCalls is null && MaxTokens is null && MaxCost is null && MaxWallTime is null;
}
