namespace SchedCP.Agents;

/// <summary>What the Execution agent hands to the Learning agent.</summary>
/// <param name="Outcomes">Every candidate's outcome, in plan order.</param>
/// <param name="Best">The best candidate that beat EEVDF by the rule in the final round, or null.</param>
/// <param name="BestCandidate">The best candidate as materialised (object, verification), or null.</param>
/// <param name="Rounds">The sandbox sessions, for the history.</param>
public sealed record ExecutionResult(
    IReadOnlyList<CandidateOutcome> Outcomes,
    CandidateOutcome? Best,
    MaterializedCandidate? BestCandidate,
    IReadOnlyList<EvaluationRound> Rounds);
