using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Testing;

namespace SchedCP.Agents.Tests.Tools;

/// <summary>A side-effecting tool called inside the loop is claimed and recorded on the agent runtime.</summary>
public sealed class RuntimeHostedFunctionTests
{
    [BpfSourcesFact]
    public async Task A_side_effecting_call_claims_its_work_unit_and_publishes_its_result_and_a_lookup_does_not()
    {
        using var repo = Observations.Repository();
        using var services = new ServiceCollection().BuildServiceProvider();
        var toolbox = Toolboxes.Create(repo, services);
        object? verified = null;
        using var runtime = new AgentRuntime(new AgentRuntimeOptions { WorkspaceRoot = Path.Combine(repo.Directory, "ws") }, repo.Time);
        runtime.AddAgent("planning-1", async (ctx, ct) =>
        {
            var host = RuntimeHostedFunction.For(ctx);
            verified = await host(toolbox.Function(SchedulerToolbox.Names.VerifySource)).InvokeAsync(
                new AIFunctionArguments { ["name"] = "gen_broken", ["source"] = "int f( {" }, ct);
            await host(toolbox.Function(SchedulerToolbox.Names.ListPrimitives)).InvokeAsync(new AIFunctionArguments(), ct);
        }).GetValueOrThrow();

        var report = await runtime.RunAsync();

        Assert.Equal(AgentState.Completed, report.Agents.Single().State);
        Assert.Contains("compile", verified!.ToString(), StringComparison.Ordinal);
        Assert.Contains(report.Events, e => e.Subject.Contains("tool.verify_source", StringComparison.Ordinal));
        Assert.Contains(report.Events, e => e.Subject.Contains("tool/verify_source", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Events, e => e.Subject.Contains("list_primitives", StringComparison.Ordinal));
    }
}
