using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SchedCP.Kernel.Sandbox;
using SchedCP.Verifier.DependencyInjection;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Verifier.Canary;

/// <summary>Adds canary deployment to the verifier.</summary>
public static class CanaryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CanaryDeployer"/> with a <see cref="JsonLinesCanaryJournal"/> at <paramref name="journalPath"/>
    /// (unless an <see cref="ICanaryJournal"/> is registered already). Needs <c>AddSchedCPKernel()</c> for the sandbox.
    /// </summary>
    /// <param name="builder">The verifier builder.</param>
    /// <param name="journalPath">The JSON-lines journal file.</param>
    /// <param name="configure">Adjusts the breaker's thresholds.</param>
    /// <returns>The builder.</returns>
    public static SchedCPVerifierBuilder AddCanary(this SchedCPVerifierBuilder builder, string journalPath, Action<CanaryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(journalPath);
        var options = new CanaryOptions();
        configure?.Invoke(options);
        builder.Services.TryAddSingleton<ICanaryJournal>(new JsonLinesCanaryJournal(journalPath));
        builder.Services.TryAddSingleton(sp => new CanaryDeployer(
            sp.GetRequiredService<ISandboxRunner>(),
            sp.GetRequiredService<DeploymentTokenValidator>(),
            sp.GetRequiredService<ICanaryJournal>(),
            options,
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
