namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>A pool's answer to "could this task run here now": when it would start, how long, what it costs.</summary>
/// <param name="Pricing">How it is paid for.</param>
/// <param name="StartDelay">Wait before the task can start (spin-up, working hours).</param>
/// <param name="Duration">Run time on this pool.</param>
/// <param name="Cost">Estimated cost of the run.</param>
/// <param name="Fragmentation">0..1: share of the pool's capacity left stranded after this placement (0 fills exactly; 1 opens fresh capacity that stays mostly idle).</param>
/// <param name="Slot">Pool-specific: which instance or slot (-1 for a new one).</param>
public readonly record struct ResourceOffer(Pricing Pricing, TimeSpan StartDelay, TimeSpan Duration, decimal Cost, double Fragmentation, int Slot = -1)
{
    /// <summary>Start delay plus duration.</summary>
    public TimeSpan FinishAfter => StartDelay + Duration;
}
