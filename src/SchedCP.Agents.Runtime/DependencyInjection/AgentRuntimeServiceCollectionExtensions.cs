using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SchedCP agent runtime.</summary>
public static class AgentRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AgentRuntimeFactory"/> with <see cref="AgentRuntimeOptions"/> validated by their
    /// attributes on first use (the failure names the field), and <see cref="TimeProvider.System"/> unless a clock is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options, e.g. the workspace root.</param>
    /// <returns>A builder for further configuration.</returns>
    public static AgentRuntimeBuilder AddSchedCPAgentRuntime(this IServiceCollection services, Action<AgentRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AgentRuntimeOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.TryAddSingleton<AgentRuntimeFactory>();
        return new AgentRuntimeBuilder(services);
    }
}
