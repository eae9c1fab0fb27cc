namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>Capacity reserved for one task on one pool.</summary>
/// <param name="PoolId">The pool.</param>
/// <param name="InstanceId">The instance, person or slot inside the pool.</param>
/// <param name="Pricing">How it is paid for.</param>
/// <param name="StartAt">When the task can start.</param>
/// <param name="Duration">Its estimated run time there.</param>
/// <param name="Cost">Its estimated cost there.</param>
public sealed record ResourceClaim(string PoolId, string InstanceId, Pricing Pricing, DateTimeOffset StartAt, TimeSpan Duration, decimal Cost);
