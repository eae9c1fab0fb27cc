using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using SchedCP.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SchedCP.Kernel.Capabilities;
using SchedCP.Mcp;
using SchedCP.Mcp.Prompts;
using SchedCP.Mcp.Resources;
using SchedCP.Mcp.Safety;
using SchedCP.Mcp.Tools;
using SchedCP.Repository;
using SchedCP.Repository.Tokens;
using SchedCP.Verifier.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SchedCP's tools, resources and prompts on an MCP server.</summary>
public static class SchedCPMcpServerBuilderExtensions
{
    /// <summary>
    /// Adds the SchedCP control plane to an MCP server: the policy repository, the kernel layer, the argument guard with
    /// its audit log and read-only mode, the deployment-token validator, and every tool, resource and prompt.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMcpServer()</c>.</param>
    /// <param name="configure">Sets the database, read-only mode, audit log and trusted key.</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder AddSchedCPMcp(this IMcpServerBuilder builder, Action<SchedCPMcpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SchedCPMcpOptions();
        configure?.Invoke(options);
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(options, new(options), validateAllProperties: true);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSchedCPRepository(o => o.DatabasePath = options.DatabasePath);
        services.AddSchedCPKernel();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostIdentity>(_ => new MachineHostIdentity());
        var signingKey = options.SigningKeyPath is { } signing ? LoadSigningKey(signing) : null;
        if (signingKey is not null)
        {
            services.TryAddSingleton(sp => new DeploymentTokenIssuer(signingKey, sp.GetRequiredService<IHostIdentity>(), sp.GetRequiredService<TimeProvider>()));
        }

        services.TryAddSingleton(sp => new DeploymentTokenValidator(
            options.TrustedKeyPath is { } trusted ? LoadKey(trusted) : signingKey ?? ECDsa.Create(ECCurve.NamedCurves.nistP256),
            sp.GetRequiredService<IHostIdentity>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new JsonLinesAuditLog(options.AuditLogPath, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SpentTokenLedger(options.DatabasePath, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ToolCallGuard>();
        services.TryAddSingleton<ControlPlaneState>();
        services.TryAddSingleton(sp => new SchedExtHost(sp.GetRequiredService<CapabilityProbe>(), options));
        services.AddSchedCPAgents(configureExecution: o => o.ToolOrigin = "mcp");

        // The agents' tools are served as they are: the same functions, names, descriptions and argument checks.
        foreach (var name in SharedToolNames)
        {
            services.AddSingleton(sp => McpServerTool.Create(
                new SharedToolFunction(sp.GetRequiredService<SchedulerToolbox>().Function(name), sp.GetRequiredService<ToolCallGuard>()),
                new McpServerToolCreateOptions
                {
                    Services = sp,
                    ReadOnly = !SchedulerToolbox.SideEffecting.Contains(name),
                    Destructive = false,
                    UseStructuredContent = true,
                }));
        }

        // Output schemas mark every property required, so absent values are written as null rather than left out.
        var json = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
        return builder
            .WithTools<PolicyTools>(json)
            .WithTools<SchedulerTools>(json)
            .WithTools<WorkloadTools>(json)
            .WithResources<SchedCPResources>()
            .WithPrompts<SchedCPPrompts>()
            .WithRequestFilters(f => f.AddCallToolFilter(AuditCallFilter.Create()));
    }

    /// <summary>
    /// The agents' tools this server serves as they are. <c>get_policy</c> calls the agents' function and answers in the
    /// server's own shape (a <c>detail</c> flag); <c>search_policies</c> (paged summaries, not lines) and
    /// <c>get_feedback</c> (an error with a remedy when the workload has no baseline) keep the server's contracts, which MCP clients rely on.
    /// </summary>
    public static IReadOnlyList<string> SharedToolNames { get; } =
    [
        SchedulerToolbox.Names.ListPrimitives, SchedulerToolbox.Names.ComposeScheduler, SchedulerToolbox.Names.VerifySource, SchedulerToolbox.Names.SubmitPatch,
        SchedulerToolbox.Names.RunTrial, SchedulerToolbox.Names.CompareWithEevdf, SchedulerToolbox.Names.RecordFeedback,
    ];

    private static ECDsa LoadSigningKey(string path)
    {
        var outcome = SigningKeyStore.Load(path);
        return outcome.Key ?? throw new InvalidOperationException($"--signing-key: {outcome.Problem} {outcome.Remedy}");
    }

    // Without a trusted or signing key the validator holds a fresh key that signed nothing: every token is refused as foreign.
    private static ECDsa LoadKey(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}
