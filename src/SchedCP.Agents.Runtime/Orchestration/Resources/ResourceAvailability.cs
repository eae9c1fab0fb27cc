using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>A pool's report: free versus total capacity and its price.</summary>
/// <param name="PoolId">The pool.</param>
/// <param name="Kind">Its resource kind.</param>
/// <param name="Free">Free units now.</param>
/// <param name="Total">Total units.</param>
/// <param name="Unit">What a unit is (cores, instances, tokens, people).</param>
/// <param name="PricePerHour">On-demand or flat price per unit-hour.</param>
/// <param name="SpotPricePerHour">Spot price per unit-hour, when offered.</param>
/// <param name="Note">Why capacity is limited now, e.g. outside working hours.</param>
public sealed record ResourceAvailability(string PoolId, ResourceKind Kind, double Free, double Total, string Unit, decimal PricePerHour, decimal? SpotPricePerHour = null, string? Note = null);
