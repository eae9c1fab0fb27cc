using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Supervision;
using SchedCP.Kernel.Trials;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SchedCP.Kernel: the sandbox, trials, sysfs state, capability probe, supervisor and metrics.</summary>
public static class SchedCPKernelServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sandbox runner (<see cref="ISandboxRunner"/>), the <see cref="SchedulerTrialRunner"/>, the host's
    /// <see cref="SchedExtState"/>, <see cref="CapabilityProbe"/>, <see cref="ISchedulerSupervisor"/> and the metrics collectors.
    /// Options are validated on first use; an invalid value fails with a message that names it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureSandbox">Optional sandbox configuration.</param>
    /// <returns>A builder for further configuration.</returns>
    public static SchedCPKernelBuilder AddSchedCPKernel(this IServiceCollection services, Action<SandboxOptions>? configureSandbox = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SandboxOptions>().ValidateDataAnnotations().Validate(
            o => o.Timeout > TimeSpan.Zero, $"{nameof(SandboxOptions)}.{nameof(SandboxOptions.Timeout)} must be positive.");
        if (configureSandbox is not null)
        {
            options.Configure(configureSandbox);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISandboxRunner>(sp => new SandboxRunner(
            sp.GetRequiredService<IOptions<SandboxOptions>>(),
            sp.GetService<ILogger<SandboxRunner>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SchedulerTrialRunner(
            sp.GetRequiredService<ISandboxRunner>(),
            sp.GetRequiredService<IOptions<SandboxOptions>>().Value.ToolchainDirectory));
        services.AddOptions<SchedulerSupervisorOptions>().ValidateDataAnnotations();
        services.TryAddSingleton(sp => new SchedExtState(timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(_ => new CapabilityProbe());
        services.TryAddSingleton<ISchedulerSupervisor>(sp => new SchedulerSupervisor(
            sp.GetRequiredService<IOptions<SchedulerSupervisorOptions>>().Value,
            sp.GetRequiredService<SchedExtState>(),
            sp.GetService<ILogger<SchedulerSupervisor>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSchedCPMetrics();
        return new SchedCPKernelBuilder(services);
    }
}
