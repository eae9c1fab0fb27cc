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
    /// <summary>
    /// The repository file to use: <paramref name="option"/> (<c>--db</c>) as given, else
    /// <c>$XDG_DATA_HOME/schedcp/repository.db</c> (or <c>~/.local/share/schedcp/repository.db</c>), whose folder is
    /// created private (0700). Throws <see cref="ArgumentException"/> (a usage error, exit 2) when the path is a
    /// directory, a device, not a SQLite file, or in a folder that does not exist; nothing is created then.
    /// </summary>
    public static string Database(string? option)
    {
        var path = option ?? DefaultDatabasePath();
        var usable = SchedCP.Repository.DatabaseFile.Check(path);
        return usable.Succeeded ? usable.Value : throw new ArgumentException($"--db: {usable.Error.Reason}");
    }

    private static string DefaultDatabasePath()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome) || !Path.IsPathFullyQualified(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        var folder = Path.Combine(dataHome, "schedcp");
        if (!Directory.Exists(folder))
        {
            _ = OperatingSystem.IsWindows() ? Directory.CreateDirectory(folder) : Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return Path.Combine(folder, "repository.db");
    }

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
