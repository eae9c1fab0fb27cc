using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents;

/// <summary>One side-by-side sandbox session of the Execution agent: which candidate each scheduler arm was.</summary>
/// <param name="Name">The round: <c>screening</c> or <c>final</c>.</param>
/// <param name="Candidates">The candidates, in the order of the session's scheduler arms.</param>
/// <param name="Session">The session (EEVDF arm first).</param>
public sealed record EvaluationRound(string Name, IReadOnlyList<MaterializedCandidate> Candidates, SideBySideSession Session);
