using Microsoft.Extensions.DependencyInjection;

namespace SchedCP.Console.DependencyInjection;

/// <summary>Returned by <c>AddSchedCPConsole</c> for further configuration.</summary>
/// <param name="services">The services.</param>
public sealed class SchedCPConsoleBuilder(IServiceCollection services)
{
    /// <summary>The services the console was added to.</summary>
    public IServiceCollection Services { get; } = services;
}
