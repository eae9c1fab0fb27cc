using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Orchestration.Scoring;

/// <summary>One (task, pool offer) pair being scored.</summary>
/// <param name="Task">The task.</param>
/// <param name="PoolId">The pool.</param>
/// <param name="Offer">The pool's offer.</param>
public readonly record struct PlacementCandidate(TaskSpec Task, string PoolId, ResourceOffer Offer);
