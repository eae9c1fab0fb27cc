namespace SchedCP.Agents;

/// <summary>What the Planning agent hands to the Execution agent.</summary>
/// <param name="Kind">Reconfigure, revise or generate.</param>
/// <param name="Candidates">The candidates to materialise and measure, most promising first.</param>
/// <param name="Reasons">Why, one line each: the profile traits and history that led here.</param>
/// <param name="Planner">Who planned: <c>offline</c> or the model's id.</param>
public sealed record OptimizationPlan(PlanKind Kind, IReadOnlyList<CandidateSpec> Candidates, IReadOnlyList<string> Reasons, string Planner);
