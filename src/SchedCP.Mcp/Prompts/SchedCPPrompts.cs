using System.ComponentModel;
using ModelContextProtocol.Server;

namespace SchedCP.Mcp.Prompts;

/// <summary>Prompts for the common flows, so an agent calls the tools in a safe order.</summary>
[McpServerPromptType]
public sealed class SchedCPPrompts
{
    /// <summary>The optimise flow.</summary>
    /// <param name="workload">What the workload is.</param>
    /// <returns>The prompt.</returns>
    [McpServerPrompt(Name = "optimize_workload")]
    [Description("Find, verify and deploy the best scheduler for a workload, measured against EEVDF.")]
    public static string OptimizeWorkload([Description("What the workload is.")] string workload) =>
        $"Optimise the CPU scheduler for: {workload}.\n" +
        "1. analyze_workload(tier=1), then workload(action=create) with a description.\n" +
        "2. search_policies with the description; get_policy for the top one or two.\n" +
        "3. record_baseline under EEVDF; verify(stage=parameters) for each candidate configuration.\n" +
        "4. Measure candidates, workload(action=add_history), then get_feedback.\n" +
        "5. deploy only with a deployment token from the verifier; rollback if the KPIs regress.";

    /// <summary>The new-scheduler flow.</summary>
    /// <param name="goal">What the scheduler should achieve.</param>
    /// <returns>The prompt.</returns>
    [McpServerPrompt(Name = "write_scheduler")]
    [Description("Write a new sched_ext scheduler and take it through verification.")]
    public static string WriteScheduler([Description("What the scheduler should achieve.")] string goal) =>
        $"Write a sched_ext BPF scheduler for: {goal}.\n" +
        "Start from get_policy(detail=true) of the closest existing policy, then create_and_verify_scheduler, " +
        "fix every finding, and verify by stage before asking for a deployment token.";
}
