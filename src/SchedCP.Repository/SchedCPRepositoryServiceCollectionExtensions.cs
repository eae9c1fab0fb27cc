using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SchedCP.Repository;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SchedCP policy repository.</summary>
public static class SchedCPRepositoryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PolicyRepository"/>, <see cref="PolicyPromotion"/> and the SQLite <see cref="IPolicyStore"/>, with
    /// <see cref="PolicyRepositoryOptions"/> validated by their attributes.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options.</param>
    /// <returns>A builder for further configuration.</returns>
    public static SchedCPRepositoryBuilder AddSchedCPRepository(this IServiceCollection services, Action<PolicyRepositoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PolicyRepositoryOptions>().ValidateDataAnnotations()
            .Validate(o => o.DatabasePath is null || DatabaseFile.Check(o.DatabasePath).Succeeded, "PolicyRepositoryOptions.DatabasePath is not a usable SQLite file; call DatabaseFile.Check for the reason and remedy.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPolicyStore>(sp => new SqlitePolicyStore(
            sp.GetRequiredService<IOptions<PolicyRepositoryOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SqlitePolicyStore>>()));
        services.TryAddSingleton<PolicyRepository>();
        services.TryAddSingleton<PolicyPromotion>();
        services.TryAddSingleton(_ => new SchedulerComposer());
        // Deployment tokens are single use: spent in the repository's own database.
        services.TryAddSingleton(sp => new SchedCP.Repository.Tokens.SpentTokenLedger(sp.GetRequiredService<IOptions<PolicyRepositoryOptions>>().Value.DatabasePath, sp.GetService<TimeProvider>()));
        return new SchedCPRepositoryBuilder(services);
    }
}
