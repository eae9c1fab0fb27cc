using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SchedCP.ControlPlane.Deployment;
using SchedCP.ControlPlane.Promotion;
using SchedCP.ControlPlane.Verification;
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Supervision;
using SchedCP.Repository;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SchedCP's control-plane services.</summary>
public static class SchedCPControlPlaneServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="PolicyWorkbench"/> (verify, build, revise and try policies; its folders are
    /// <see cref="WorkbenchOptions"/>), promotion (<see cref="PolicyPromotion"/>, whose receipts are deployment tokens checked by
    /// <see cref="DeploymentReceiptValidator"/>) and <see cref="DeploymentService"/> with its known-good history (<see cref="JsonFileKnownGoodStore"/>), a canary
    /// journal (unless an <see cref="ICanaryJournal"/> is registered) and its target: this host when it can run sched_ext
    /// schedulers, otherwise a sandbox guest that plays the host. Needs <c>AddSchedCPKernel()</c> and a
    /// <see cref="DeploymentTokenValidator"/> (<c>AddSchedCPVerifier</c>) and, for promotion, the repository
    /// (<c>AddSchedCPRepository</c>). Every service is built when first asked for, so registering it costs nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the files and whether lab deployments without a token are allowed.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSchedCPControlPlane(this IServiceCollection services, Action<DeploymentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<DeploymentOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeploymentReceiptValidator>(sp => new DeploymentReceiptValidator(sp.GetRequiredService<DeploymentTokenValidator>()));
        services.TryAddSingleton(sp => new PolicyPromotion(sp.GetRequiredService<PolicyRepository>(), sp.GetService<IDeploymentReceiptValidator>(), sp.GetRequiredService<TimeProvider>()));
        services.AddOptions<WorkbenchOptions>();
        services.TryAddSingleton<PolicyWorkbench>();
        services.TryAddSingleton<IKnownGoodStore>(sp => new JsonFileKnownGoodStore(sp.GetRequiredService<IOptions<DeploymentOptions>>().Value.KnownGoodPath ?? JsonFileKnownGoodStore.DefaultPath));
        services.TryAddSingleton<ICanaryJournal>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeploymentOptions>>().Value;
            return new JsonLinesCanaryJournal(o.JournalPath ?? Path.Combine(Path.GetDirectoryName(o.KnownGoodPath ?? JsonFileKnownGoodStore.DefaultPath)!, "deployments.jsonl"));
        });
        services.TryAddSingleton<IDeploymentTarget>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var journal = sp.GetRequiredService<ICanaryJournal>();
            var probe = sp.GetService<CapabilityProbe>() ?? new CapabilityProbe();
            return probe.Probe().CanRunSchedulers
                ? new HostDeploymentTarget(sp.GetRequiredService<ISchedulerSupervisor>(), journal, sp.GetService<CanaryOptions>(), time)
                : new SandboxDeploymentTarget(sp.GetService<CanaryDeployer>() ?? new CanaryDeployer(sp.GetRequiredService<ISandboxRunner>(), sp.GetRequiredService<DeploymentTokenValidator>(), journal, sp.GetService<CanaryOptions>() ?? GuestCanary(), time));
        });
        services.TryAddSingleton(sp => new DeploymentService(
            sp.GetRequiredService<DeploymentTokenValidator>(),
            sp.GetRequiredService<IKnownGoodStore>(),
            sp.GetRequiredService<ICanaryJournal>(),
            sp.GetRequiredService<IDeploymentTarget>(),
            sp.GetRequiredService<IOptions<DeploymentOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<SchedCP.Repository.Tokens.SpentTokenLedger>()));
        return services;
    }

    // The guest is emulated on a loaded machine: one sampling round (a shell probe plus sysfs reads) can take seconds, so
    // the stall limit and probation are wider than a real host's defaults (measured in CanaryFaultInjectionTests).
    // A 30 % slower KPI must trip it, so the regression limit is 20 % over two consecutive samples.
    internal static CanaryOptions GuestCanary() => new() { StallTimeout = TimeSpan.FromSeconds(15), Probation = TimeSpan.FromSeconds(20), MaxKpiRegression = 0.2 };
}
