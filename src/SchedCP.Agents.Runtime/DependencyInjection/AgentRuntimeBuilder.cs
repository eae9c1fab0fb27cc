using Microsoft.Extensions.DependencyInjection;

namespace SchedCP.Agents.Runtime.DependencyInjection;

/// <summary>Further configuration of the agent runtime registered by <c>AddSchedCPAgentRuntime</c>.</summary>
public sealed class AgentRuntimeBuilder
{
    internal AgentRuntimeBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }
}
