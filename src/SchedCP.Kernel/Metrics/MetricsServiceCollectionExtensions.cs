using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SchedCP.Kernel.Metrics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the kernel metrics collectors of SchedCP.Kernel.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Adds singletons of <see cref="ProcStatCollector"/>, <see cref="SchedStatCollector"/>, <see cref="TaskSchedCollector"/>,
    /// <see cref="PressureCollector"/> (CPU), <see cref="LoadAverageCollector"/> and <see cref="PerfStatRunner"/>, reading
    /// under <see cref="MetricsOptions.ProcRoot"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional configuration.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddSchedCPMetrics(this IServiceCollection services, Action<MetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MetricsOptions>().ValidateDataAnnotations();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        static string Root(IServiceProvider sp) => sp.GetRequiredService<IOptions<MetricsOptions>>().Value.ProcRoot;
        services.TryAddSingleton(sp => new ProcStatCollector(Root(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SchedStatCollector(Root(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new TaskSchedCollector(Root(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PressureCollector(Root(sp), PressureResource.Cpu, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new LoadAverageCollector(Root(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PerfStatRunner(
            sp.GetRequiredService<IOptions<MetricsOptions>>().Value.PerfPath,
            sp.GetService<ILogger<PerfStatRunner>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
