using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SchedCP.Agents;
using SchedCP.Agents.DependencyInjection;
using SchedCP.ControlPlane.Verification;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers sched-agent.</summary>
public static class SchedCPAgentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the four agents, the <see cref="OptimizationLoop"/> and the control plane under them
    /// (<c>AddSchedCPControlPlane</c>, once). Needs the repository (<c>AddSchedCPRepository</c>),
    /// the verifier (<c>AddSchedCPVerifier</c>) and an <see cref="ISandboxRunner"/> (<c>AddSchedCPKernel</c>) registered too.
    /// The model is whatever <c>IChatClient</c> the caller passes to <see cref="OptimizationLoop.RunAsync"/>; none runs offline.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configureLoop">Loop options.</param>
    /// <param name="configureExecution">Execution options.</param>
    public static SchedCPAgentsBuilder AddSchedCPAgents(this IServiceCollection services, Action<OptimizationLoopOptions>? configureLoop = null, Action<ExecutionOptions>? configureExecution = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var loop = services.AddOptions<OptimizationLoopOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configureLoop is not null)
        {
            loop.Configure(configureLoop);
        }

        var execution = services.AddOptions<ExecutionOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configureExecution is not null)
        {
            execution.Configure(configureExecution);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WorkloadRunner(timeProvider: sp.GetRequiredService<TimeProvider>(), logger: sp.GetService<ILogger<WorkloadRunner>>()));
        // Observe where the candidates are judged: in the sched_ext guest, where the kernel records every task by BPF.
        // Without a built sandbox toolchain, on the host by polling /proc (the profile says which).
        services.TryAddSingleton(sp => sp.GetService<ISandboxRunner>() is { } sandbox && SandboxToolchain.TryLocate(null, out _, out _)
            ? new WorkloadObserver(sp.GetRequiredService<WorkloadRunner>(), timeProvider: sp.GetRequiredService<TimeProvider>(), probe: new RunQueueLatencyProbe(sandbox))
            : new WorkloadObserver(sp.GetRequiredService<WorkloadRunner>(), timeProvider: sp.GetRequiredService<TimeProvider>(), hostRecorder: HostTaskRecorder.TryCreate(null, out _)));
        // The control plane the agents act through (workbench, promotion, deployment), registered by its own package once;
        // its workbench reads the Execution agent's folders, so both build and read from the same places.
        services.AddSchedCPControlPlane();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<WorkbenchOptions>, WorkbenchFoldersFromExecution>());
        services.TryAddSingleton<ObservationAgent>();
        services.TryAddSingleton<PlanningAgent>();
        services.TryAddSingleton<ExecutionAgent>();
        services.TryAddSingleton<LearningAgent>();
        services.TryAddSingleton<OptimizationLoop>();
        services.TryAddSingleton(sp => new SchedulerToolbox(sp.GetRequiredService<PolicyRepository>(), sp.GetRequiredService<PolicyWorkbench>(), sp.GetRequiredService<WorkloadRunner>(),
            sp.GetRequiredService<ISandboxRunner>(), timeProvider: sp.GetRequiredService<TimeProvider>(), options: sp.GetRequiredService<IOptions<ExecutionOptions>>()));
        return new SchedCPAgentsBuilder(services);
    }
}
