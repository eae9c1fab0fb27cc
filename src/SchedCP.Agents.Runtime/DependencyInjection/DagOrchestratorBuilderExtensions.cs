using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.DependencyInjection;

/// <summary>Registers the DAG orchestrator and its resource pools on the agent runtime's builder.</summary>
public static class DagOrchestratorBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="DagOrchestrator"/> as transient (one orchestrator runs one DAG) over every registered
    /// <see cref="IResourcePool"/>, with options validated when it is built.
    /// </summary>
    /// <param name="builder">The runtime's builder.</param>
    /// <param name="configure">Scoring weights, budget, tick interval.</param>
    /// <returns>The builder.</returns>
    public static AgentRuntimeBuilder AddDagOrchestrator(this AgentRuntimeBuilder builder, Action<OrchestratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddTransient(sp =>
        {
            var options = new OrchestratorOptions();
            configure?.Invoke(options);
            return new DagOrchestrator(sp.GetServices<IResourcePool>(), options, sp.GetRequiredService<TimeProvider>(), loggerFactory: sp.GetService<ILoggerFactory>());
        });
        return builder;
    }

    /// <summary>Adds a resource pool the orchestrator places tasks on.</summary>
    /// <param name="builder">The runtime's builder.</param>
    /// <param name="pool">The pool (local capacity, a cloud pool, a rate-limited API, people).</param>
    /// <returns>The builder.</returns>
    public static AgentRuntimeBuilder AddResourcePool(this AgentRuntimeBuilder builder, IResourcePool pool)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(pool);
        builder.Services.AddSingleton(pool);
        return builder;
    }
}
