using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SchedCP.Agents;
using SchedCP.Console;
using SchedCP.Console.Audit;
using SchedCP.Console.DependencyInjection;
using SchedCP.Console.Feed;
using SchedCP.Console.Pages;
using SchedCP.Console.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SchedCP operator console.</summary>
public static class SchedCPConsoleServiceCollectionExtensions
{
    /// <summary>
    /// Registers the console: its <see cref="ConsoleFeed"/> (also as <see cref="IOptimizationLoopFeed"/>; a feed registered
    /// before is kept), <see cref="ConsoleLoopProgress"/> as an <see cref="IOptimizationProgress"/> so an
    /// <see cref="OptimizationLoop"/> in the same container shows its runs, the audit log, the loopback guard and the OpenAPI document. Options are validated on start and the
    /// failure names the field. Map it with <c>app.MapSchedCPConsole()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see cref="SchedCPConsoleOptions.BearerToken"/> is required.</param>
    /// <returns>A builder for further configuration.</returns>
    public static SchedCPConsoleBuilder AddSchedCPConsole(this IServiceCollection services, Action<SchedCPConsoleOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SchedCPConsoleOptions>().Configure(configure).Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ConsoleFeed(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IOptimizationLoopFeed>(sp => sp.GetRequiredService<ConsoleFeed>());
        services.TryAddSingleton(sp => new ConsoleLoopProgress(sp.GetRequiredService<IOptimizationLoopFeed>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptimizationProgress, ConsoleLoopProgress>(sp => sp.GetRequiredService<ConsoleLoopProgress>()));
        services.TryAddSingleton(sp => new ConsoleAuditLog(sp.GetRequiredService<IOptions<SchedCPConsoleOptions>>().Value.AuditLogPath));
        services.TryAddSingleton(sp => new LiveViewers(sp.GetRequiredService<IOptions<SchedCPConsoleOptions>>().Value.MaxLiveViewers));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SchedCPConsoleOptions>>().Value;
            var server = sp.GetRequiredService<IServer>();
            return new LoopbackEndpointGuard(() => BoundEndpoints(server), options.BearerToken!, options.AllowedOrigins);
        });
        services.AddOpenApi("console", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SchedCP operator console";
            document.Info.Version = "v1";
            document.Info.Description = "Agents, work-unit leases and queues, optimisation loops, DAGs and recorded runs; audited pause, resume and terminate. Bearer token required (the MCP server's).";
            return Task.CompletedTask;
        }));
        return new SchedCPConsoleBuilder(services);
    }

    // Every address the server listens on; one that is not a loopback address literal maps to 0.0.0.0 so the guard refuses.
    private static List<IPEndPoint> BoundEndpoints(IServer server) =>
        [.. (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => LoopbackEndpoint.Parse(a.TrimEnd('/') + "/") ?? new IPEndPoint(IPAddress.Any, 0))];
}
