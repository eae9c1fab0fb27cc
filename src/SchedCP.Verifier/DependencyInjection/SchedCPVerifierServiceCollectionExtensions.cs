using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SchedCP.Verifier.DependencyInjection;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SchedCP verifier.</summary>
public static class SchedCPVerifierServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="VerifierPipeline"/> composed by <paramref name="configurePipeline"/>, the deployment token
    /// issuer and validator on <paramref name="signingKey"/>. The repository's receipt validator on these tokens is the
    /// control plane's (<c>AddSchedCPControlPlane</c>).
    /// Stages that run in the sandbox need <c>AddSchedCPKernel()</c> too.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configurePipeline">Adds stages, e.g. <c>b =&gt; b.UseCompile().UseStaticAnalysis().UseKernelVerifier()</c>.</param>
    /// <param name="signingKey">The verifier's ECDsa P-256 key (private for issuing); null creates an ephemeral one.</param>
    /// <param name="hostId">This host's id; null reads <c>/etc/machine-id</c>.</param>
    /// <returns>A builder for further configuration.</returns>
    public static SchedCPVerifierBuilder AddSchedCPVerifier(this IServiceCollection services, Action<VerifierPipelineBuilder> configurePipeline, ECDsa? signingKey = null, string? hostId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configurePipeline);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostIdentity>(new MachineHostIdentity(hostId));
        var key = signingKey ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
        services.TryAddSingleton(sp => new DeploymentTokenIssuer(key, sp.GetRequiredService<IHostIdentity>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<DeploymentTokenIssuer>>()));
        services.TryAddSingleton(sp => new DeploymentTokenValidator(key, sp.GetRequiredService<IHostIdentity>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<DeploymentTokenValidator>>()));
        services.TryAddSingleton(sp =>
        {
            var builder = new VerifierPipelineBuilder();
            configurePipeline(builder);
            return builder.Build(sp);
        });
        return new SchedCPVerifierBuilder(services);
    }
}
