namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>How capacity is paid for.</summary>
public enum Pricing
{
    /// <summary>Owned or flat-rate capacity (the local machine, people, API calls at a fixed price).</summary>
    Fixed,
    /// <summary>Cloud on-demand: full price, not interrupted.</summary>
    OnDemand,
    /// <summary>Cloud spot: cheaper, may be interrupted.</summary>
    Spot,
}
