namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>
/// A score plug-in in the manner of a Kubernetes score plugin: rates one candidate 0 (worst) to 100 (best);
/// the orchestrator sums the scores times their weights (<see cref="ScoringProfile"/>).
/// </summary>
public interface IPlacementScorer
{
    /// <summary>A short name shown in decision records.</summary>
    string Name { get; }

    /// <summary>Rates a candidate.</summary>
    /// <param name="candidate">The task and offer.</param>
    /// <param name="range">The spread over the task's candidates.</param>
    /// <returns>0..100, higher is better.</returns>
    double Score(in PlacementCandidate candidate, in CandidateRange range);
}
