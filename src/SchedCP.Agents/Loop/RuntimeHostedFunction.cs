using System.Text.Json;
using Microsoft.Extensions.AI;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents;

/// <summary>
/// A control-plane tool called by a role inside the loop: a side-effecting call claims its own work unit
/// (<c>process:tool.NAME</c>) on the agent runtime before it acts and publishes its arguments and result as an artifact,
/// so the run's event log shows who changed what through which tool; read-only calls pass straight through.
/// </summary>
/// <param name="inner">The toolbox's function.</param>
/// <param name="context">The role's runtime context.</param>
internal sealed class RuntimeHostedFunction(AIFunction inner, AgentContext context) : DelegatingAIFunction(inner)
{
    /// <summary>The work unit a tool's calls claim.</summary>
    /// <param name="tool">The tool's name.</param>
    public static WorkUnit UnitOf(string tool) => WorkUnit.Process("tool." + tool);

    /// <summary>Wraps every function of a role for <paramref name="context"/>.</summary>
    /// <param name="context">The role's runtime context.</param>
    public static Func<AIFunction, AIFunction> For(AgentContext context) => f => new RuntimeHostedFunction(f, context);

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (!SchedulerToolbox.SideEffecting.Contains(Name))
        {
            return await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
        }

        var lease = (await context.ClaimAsync([Claim.Exclusive(UnitOf(Name))]).ConfigureAwait(false)).GetValueOrThrow();
        try
        {
            var result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
            context.PublishArtifact(ArtifactKind.Data, "tool/" + Name, "application/json",
                JsonSerializer.Serialize(new { tool = Name, arguments = arguments.ToDictionary(a => a.Key, a => a.Value?.ToString()), result }, AgentJson.Options));
            return result;
        }
        finally
        {
            context.Release(lease);
        }
    }
}
