using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers workload analysis of SchedCP.Kernel.</summary>
public static class WorkloadAnalysisServiceCollectionExtensions
{
    /// <summary>
    /// Adds singletons of <see cref="SystemSampler"/>, <see cref="ProcessTreeObserver"/>, <see cref="WorkloadRunner"/>,
    /// <see cref="WorkloadObserver"/>, <see cref="RunQueueLatencyProbe"/> (it needs an <see cref="ISandboxRunner"/> when used)
    /// and <see cref="KpiMonitor"/>, reading procfs under <c>/</c> and using the registered
    /// <see cref="TimeProvider"/> (the system clock when none is).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="workloadBinaries">The folder of the built benchmark workloads; null locates it.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddSchedCPWorkloadAnalysis(this IServiceCollection services, string? workloadBinaries = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SystemSampler("/", sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ProcessTreeObserver("/", sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new WorkloadRunner(workloadBinaries, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<WorkloadRunner>>()));
        // On the host: every task recorded by BPF where this machine allows it, else /proc polled (a lower bound).
        services.TryAddSingleton(sp => new WorkloadObserver(sp.GetRequiredService<WorkloadRunner>(), "/", null, sp.GetRequiredService<TimeProvider>(),
            hostRecorder: HostTaskRecorder.TryCreate(null, out _)));
        services.TryAddSingleton(sp => new RunQueueLatencyProbe(sp.GetRequiredService<ISandboxRunner>()));
        services.TryAddSingleton(sp => new KpiMonitor(sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<KpiMonitor>>()));
        return services;
    }
}
