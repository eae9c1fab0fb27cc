using Microsoft.Extensions.DependencyInjection;

namespace SchedCP.Verifier.DependencyInjection;

/// <summary>Returned by <c>AddSchedCPVerifier</c> to configure the verifier further.</summary>
/// <param name="services">The service collection.</param>
public sealed class SchedCPVerifierBuilder(IServiceCollection services)
{
    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services;
}
