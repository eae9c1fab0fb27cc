using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using SchedCP.Agents;
using SchedCP.Mcp.Safety;

namespace SchedCP.Mcp.Tools;

/// <summary>
/// One of the agents' control-plane tools (<see cref="SchedulerToolbox"/>) served over MCP: the very function the
/// model calls, with the server's gate in front. A side-effecting call is admitted by the <see cref="ToolCallGuard"/>
/// (refused when read-only, recorded in the audit log) and a refused argument becomes a tool error that says what to do.
/// </summary>
/// <param name="inner">The toolbox's function.</param>
/// <param name="guard">The server's gate.</param>
public sealed class SharedToolFunction(AIFunction inner, ToolCallGuard guard) : DelegatingAIFunction(inner)
{
    /// <summary>Longest argument text recorded in the audit log; a source or a diff is recorded by its length.</summary>
    public const int MaxAuditedText = 200;

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (SchedulerToolbox.SideEffecting.Contains(Name))
        {
            guard.AdmitMutation(Name, arguments.ToDictionary(a => a.Key, a => (object?)Audited(a.Value), StringComparer.Ordinal));
        }

        try
        {
            return await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new McpException($"{Name}: {e.Message}", e);
        }
    }

    private static string? Audited(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
            JsonElement j => j.GetRawText(),
            var other => other.ToString(),
        };
        return text is null || text.Length <= MaxAuditedText ? text : $"<{text.Length} characters>";
    }
}
