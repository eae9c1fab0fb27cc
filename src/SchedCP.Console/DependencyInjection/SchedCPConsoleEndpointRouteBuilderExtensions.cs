using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Console.Api;
using SchedCP.Console.Pages;
using SchedCP.Console.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the SchedCP operator console.</summary>
public static class SchedCPConsoleEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Puts the loopback guard (Host, Origin, bearer token or login cookie) in front of everything the application
    /// serves, then maps the pages at <c>/</c>, the live event stream at <c>/events</c>, the API at <c>/api</c> and
    /// its OpenAPI document at <c>/openapi/console.json</c>. The application should serve nothing else: the guard
    /// covers all of it.
    /// </summary>
    /// <param name="app">The application, after <c>AddSchedCPConsole</c>.</param>
    /// <returns>The application.</returns>
    public static WebApplication MapSchedCPConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var guard = app.Services.GetRequiredService<LoopbackEndpointGuard>();
        app.Use((context, next) => guard.InvokeAsync(context, next));
        ConsolePageEndpoints.Map(app);
        ConsoleApiEndpoints.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
