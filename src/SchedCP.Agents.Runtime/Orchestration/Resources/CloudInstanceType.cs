namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>A cloud instance type: its size, prices and how long a new instance takes to become ready.</summary>
/// <param name="Name">The type name, e.g. <c>c7g.xlarge</c>.</param>
/// <param name="Cpu">Cores per instance.</param>
/// <param name="MemoryGb">Memory per instance.</param>
/// <param name="OnDemandPerHour">On-demand price per instance-hour.</param>
/// <param name="SpotPerHour">Spot price per instance-hour, or null when spot is not offered.</param>
/// <param name="SpinUp">Time from request to a ready instance.</param>
public sealed record CloudInstanceType(string Name, int Cpu, double MemoryGb, decimal OnDemandPerHour, decimal? SpotPerHour, TimeSpan SpinUp);
