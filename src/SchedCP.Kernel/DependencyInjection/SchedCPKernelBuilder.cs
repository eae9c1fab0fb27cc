using SchedCP.Kernel.Sandbox;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Further configuration of SchedCP.Kernel after <c>AddSchedCPKernel</c>.</summary>
public sealed class SchedCPKernelBuilder
{
    internal SchedCPKernelBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Configures the scheduler supervisor.</summary>
    /// <param name="configure">The configuration.</param>
    /// <returns>This builder.</returns>
    public SchedCPKernelBuilder ConfigureSupervisor(Action<SchedCP.Kernel.Supervision.SchedulerSupervisorOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Configures the sandbox.</summary>
    /// <param name="configure">The configuration.</param>
    /// <returns>This builder.</returns>
    public SchedCPKernelBuilder ConfigureSandbox(Action<SandboxOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }
}
