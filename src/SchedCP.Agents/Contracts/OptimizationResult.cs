using SchedCP.Kernel.Analysis;

namespace SchedCP.Agents;

/// <summary>The result of the closed loop for one workload, with everything needed to check it.</summary>
/// <param name="Workload">The workload as run.</param>
/// <param name="Kpi">The primary KPI that decided (for example <c>makespan_ms</c>) and its direction.</param>
/// <param name="Direction">Which way the KPI improves.</param>
/// <param name="Observation">What the Observation agent reported.</param>
/// <param name="Plans">Every plan, one per iteration.</param>
/// <param name="Candidates">Every candidate with its outcome.</param>
/// <param name="Best">The best candidate's outcome when it beat EEVDF by the rule, else null.</param>
/// <param name="Deployment">What was done with the best candidate.</param>
/// <param name="Lessons">What the Learning agent recorded for the next iteration.</param>
/// <param name="Cost">Tokens, money and wall time per stage.</param>
public sealed record OptimizationResult(
    string Workload,
    string Kpi,
    KpiDirection Direction,
    ObservationReport Observation,
    IReadOnlyList<OptimizationPlan> Plans,
    IReadOnlyList<CandidateOutcome> Candidates,
    CandidateOutcome? Best,
    DeploymentDecision Deployment,
    IReadOnlyList<string> Lessons,
    CostReport Cost)
{
    /// <summary>
    /// Why the loop could not observe, build or trial anything, or null when it measured candidates against EEVDF.
    /// A failed result has no best candidate, no token, and left no history in the repository.
    /// </summary>
    public OptimizationFailure? Failure { get; init; }

    /// <summary>
    /// The budget limit that stopped the run early, or null when it ran to the end. A run stopped after it measured
    /// candidates keeps what it measured; one stopped before fails with <see cref="OptimizationFailureKind.BudgetExhausted"/>.
    /// </summary>
    public BudgetStop? BudgetStop { get; init; }

    /// <summary>True when the loop measured at least one candidate against EEVDF (<see cref="Failure"/> is null).</summary>
    public bool Succeeded => Failure is null;

    /// <summary>The best candidate's improvement as a fraction (0.2 = 20% better), or 0 when there is none.</summary>
    public double Improvement => Best?.Change is { } c
        ? Direction == KpiDirection.LowerIsBetter ? 1 - c.Ratio : c.Ratio - 1
        : 0;
}
