using System.Globalization;

namespace SchedCP.Agents;

/// <summary>Which limit of an <see cref="AgentBudget"/> stopped a run.</summary>
public enum BudgetLimit
{
    /// <summary><see cref="AgentBudget.MaxModelCalls"/>.</summary>
    ModelCalls,

    /// <summary><see cref="AgentBudget.MaxTokens"/>.</summary>
    Tokens,

    /// <summary><see cref="AgentBudget.MaxCost"/>.</summary>
    Cost,

    /// <summary><see cref="AgentBudget.MaxWallTime"/>.</summary>
    WallTime,
}

/// <summary>A run stopped by its budget: which limit, what was spent, and where.</summary>
/// <param name="Limit">The limit reached.</param>
/// <param name="Spent">What was spent on it when the run stopped.</param>
/// <param name="Allowed">The limit's value.</param>
/// <param name="Stage">The stage that was about to spend more.</param>
public sealed record BudgetStop(BudgetLimit Limit, decimal Spent, decimal Allowed, string Stage)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"the {Limit} budget is spent ({Spent:0.######} of {Allowed:0.######}) before {Stage}");
}

/// <summary>Thrown inside a run when its budget is spent; the loop turns it into a typed result, never a crash.</summary>
public sealed class BudgetExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BudgetExhaustedException()
        : this(new BudgetStop(BudgetLimit.ModelCalls, 0, 0, "?"))
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public BudgetExhaustedException(string message)
        : base(message)
    {
        Stop = new BudgetStop(BudgetLimit.ModelCalls, 0, 0, "?");
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BudgetExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Stop = new BudgetStop(BudgetLimit.ModelCalls, 0, 0, "?");
    }

    /// <summary>Creates the exception for <paramref name="stop"/>.</summary>
    /// <param name="stop">The stop.</param>
    public BudgetExhaustedException(BudgetStop stop)
        : base("Budget: " + stop)
    {
        Stop = stop ?? throw new ArgumentNullException(nameof(stop));
    }

    /// <summary>What stopped the run.</summary>
    public BudgetStop Stop { get; }
}
