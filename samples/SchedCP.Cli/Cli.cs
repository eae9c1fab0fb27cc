using System.CommandLine;
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
        return usable.Succeeded ? usable.Value : throw new ArgumentException($"--db: {usable.Failure.Message}");
    }

    private static string DefaultDatabasePath() => Path.Combine(DataFolder(), "repository.db");

    /// <summary>
    /// The user's schedcp data folder, <c>$XDG_DATA_HOME/schedcp</c> or <c>~/.local/share/schedcp</c>, created private
    /// (0700) when missing: where the default repository and the MCP audit log live, never the working directory.
    /// </summary>
    public static string DataFolder()
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

        return folder;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Read by people and scripts, never embedded in HTML: '+' and quotes stay as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Log lines on stderr: warnings, and with <paramref name="verbose"/> every stage; the agents' progress always. On a
    /// terminal with <paramref name="live"/> they feed the live progress display instead of printing lines.
    /// </summary>
    public static ILoggingBuilder AddCliLogging(this ILoggingBuilder logging, bool verbose, ProgressLoggerProvider? live = null)
    {
        if (live is not null && Terminal.StderrIsInteractive)
        {
            live.KeepLines = verbose;
            logging.AddProvider(live);
        }
        else
        {
            logging.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        return logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning).AddFilter("SchedCP.Agents", LogLevel.Information);
    }

    /// <summary>
    /// The control plane as one container: kernel layer and sandbox, repository on <paramref name="database"/>, the
    /// verifier (compile, static analysis, and with <paramref name="kernelVerifier"/> the kernel's own verifier in the
    /// sandbox) and the agents.
    /// </summary>
    public static ServiceProvider Services(string database, bool verbose, bool kernelVerifier = false, ProgressLoggerProvider? live = null)
    {
        var services = new ServiceCollection().AddLogging(b => b.AddCliLogging(verbose, live));
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
        services.AddSchedCPAgents(configureExecution: o => o.ToolOrigin = "cli");
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Sets <paramref name="command"/>'s action to <paramref name="run"/>, whose <see cref="ArgumentException"/> is a
    /// usage error: its message on stderr with where to find the command's help, exit 2.
    /// </summary>
    public static void SetCliAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parsed, cancellation) =>
        {
            try
            {
                return await run(parsed, cancellation);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"schedcp {SchedcpCommand.VerbPath(parsed)}: {e.Message}\nSee 'schedcp {SchedcpCommand.VerbPath(parsed)} --help'.");
                return SchedcpCommand.UsageError;
            }
        });

    /// <summary>Writes <paramref name="value"/> as indented camelCase JSON on stdout.</summary>
    public static void WriteJson(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Json));
}
