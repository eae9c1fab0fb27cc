using System.Globalization;

namespace SchedCP.Agents.Runtime.Orchestration.Budget;

/// <summary>
/// Cumulative spend per pool and per task against a total and a per-task budget. Placing a task commits its
/// estimated cost; finishing or losing it settles the real cost. <see cref="Admit"/> refuses a placement that
/// would take spend + commitments past a limit, so the orchestrator downgrades to a cheaper offer or waits.
/// </summary>
public sealed class BudgetLedger
{
    private readonly Dictionary<string, decimal> _spentByPool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _spentByTask = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _committedByTask = new(StringComparer.Ordinal);

    /// <summary>Creates a ledger.</summary>
    /// <param name="limit">Total budget, or null for none.</param>
    /// <param name="perTaskLimit">Budget per task across its attempts, or null for none.</param>
    public BudgetLedger(decimal? limit = null, decimal? perTaskLimit = null)
    {
        Limit = limit;
        PerTaskLimit = perTaskLimit;
    }

    /// <summary>Total budget, or null for none.</summary>
    public decimal? Limit { get; }

    /// <summary>Budget per task, or null for none.</summary>
    public decimal? PerTaskLimit { get; }

    /// <summary>Settled spend.</summary>
    public decimal Spent { get; private set; }

    /// <summary>Estimated cost of placed, unsettled tasks.</summary>
    public decimal Committed { get; private set; }

    /// <summary>Settled spend per pool.</summary>
    public IReadOnlyDictionary<string, decimal> SpentByPool => _spentByPool;

    /// <summary>Settled spend per task.</summary>
    public IReadOnlyDictionary<string, decimal> SpentByTask => _spentByTask;

    /// <summary>Why placing <paramref name="taskId"/> at <paramref name="cost"/> is refused, or null when it fits.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cost">Its estimated cost.</param>
    /// <returns>The refusal reason, or null.</returns>
    public string? Admit(string taskId, decimal cost)
    {
        if (Limit is { } limit && Spent + Committed + cost > limit)
        {
            return string.Create(CultureInfo.InvariantCulture, $"over budget: spent {Spent:0.####} + committed {Committed:0.####} + {cost:0.####} > limit {limit:0.####}");
        }

        if (PerTaskLimit is { } perTask && _spentByTask.GetValueOrDefault(taskId) + cost > perTask)
        {
            return string.Create(CultureInfo.InvariantCulture, $"over the per-task budget: task spent {_spentByTask.GetValueOrDefault(taskId):0.####} + {cost:0.####} > {perTask:0.####}");
        }

        return null;
    }

    /// <summary>Commits an estimated cost for a placed task.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cost">The estimate.</param>
    public void Commit(string taskId, decimal cost)
    {
        Committed += cost;
        _committedByTask[taskId] = _committedByTask.GetValueOrDefault(taskId) + cost;
    }

    /// <summary>Settles a task's commitment at its real cost.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="poolId">The pool it ran on.</param>
    /// <param name="cost">What it cost.</param>
    public void Settle(string taskId, string poolId, decimal cost)
    {
        if (_committedByTask.Remove(taskId, out var committed))
        {
            Committed -= committed;
        }

        Spent += cost;
        _spentByPool[poolId] = _spentByPool.GetValueOrDefault(poolId) + cost;
        _spentByTask[taskId] = _spentByTask.GetValueOrDefault(taskId) + cost;
    }

    /// <summary>The projection given the cheapest estimate of the tasks not yet placed.</summary>
    /// <param name="remainingEstimate">That estimate.</param>
    /// <returns>The projection.</returns>
    public BudgetProjection Project(decimal remainingEstimate) => new(Spent, Committed, remainingEstimate, Limit);
}
