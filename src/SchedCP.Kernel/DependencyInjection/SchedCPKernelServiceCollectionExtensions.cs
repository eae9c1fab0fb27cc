using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SchedCP.Kernel;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SchedCP.Kernel: the sched_ext sandbox and scheduler trials.</summary>
public static class SchedCPKernelServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sandbox runner (<see cref="ISandboxRunner"/>) and the <see cref="SchedulerTrialRunner"/>. Options are
    /// validated on first use; an invalid value fails with a message that names it.
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
        return new SchedCPKernelBuilder(services);
    }
}
