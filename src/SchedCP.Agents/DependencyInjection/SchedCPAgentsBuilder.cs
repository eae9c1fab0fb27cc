using Microsoft.Extensions.DependencyInjection;

namespace SchedCP.Agents.DependencyInjection;

/// <summary>Further configuration of sched-agent after <c>AddSchedCPAgents</c>.</summary>
/// <param name="services">The service collection.</param>
public sealed class SchedCPAgentsBuilder(IServiceCollection services)
{
    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services;
}
