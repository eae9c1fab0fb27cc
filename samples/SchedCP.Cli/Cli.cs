using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SchedCP.Agents;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.KernelVerifier;
using SchedCP.Verifier.StaticAnalysis;

/// <summary>What every command shares: the default repository file, JSON output and the service container.</summary>
internal static class Cli
{
    public const string DefaultDatabase = "schedcp-repository.db";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The control plane as one container: kernel layer and sandbox, repository on <paramref name="database"/>, the
    /// verifier (compile, static analysis, and with <paramref name="kernelVerifier"/> the kernel's own verifier in the
    /// sandbox) and the agents.
    /// </summary>
    public static ServiceProvider Services(string database, bool verbose, bool kernelVerifier = false)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
                .AddFilter("SchedCP.Agents", LogLevel.Information));
        services.AddSchedCPKernel();
        services.AddSchedCPRepository(o => o.DatabasePath = database);
        services.AddSchedCPVerifier(p =>
        {
            p.UseCompile().UseStaticAnalysis();
            if (kernelVerifier)
            {
                p.UseKernelVerifier();
            }
        });
        services.AddSchedCPAgents();
        return services.BuildServiceProvider();
    }
}
