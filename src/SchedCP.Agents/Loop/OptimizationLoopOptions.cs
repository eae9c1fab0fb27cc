using System.ComponentModel.DataAnnotations;

namespace SchedCP.Agents;

/// <summary>Options of the closed loop.</summary>
public sealed class OptimizationLoopOptions
{
    /// <summary>The agents' workspace (generated sources, the runtime's event log); default: a folder under the temp directory.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>A fixed price for every model call; null prices each call by its model id in <see cref="Prices"/>.</summary>
    public ModelPrice? Price { get; set; }

    /// <summary>Prices by model id, used when <see cref="Price"/> is null (default: <see cref="ModelPriceTable.Default"/>); a model it does not list costs tokens only.</summary>
    public ModelPriceTable? Prices { get; set; } = ModelPriceTable.Default;

    /// <summary>How much a run may spend (model calls, tokens, money, wall time); no limit by default. A spent budget stops the run with <see cref="OptimizationResult.BudgetStop"/>.</summary>
    public AgentBudget Budget { get; set; } = new();

    /// <summary>How long a claim on the sched_ext slot or the benchmark may be held (a final round can take minutes under emulation).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The SQLite file of the agent runtime's state (<c>AgentRuntimeOptions.StatePath</c>): runs naming the same
    /// absolute path share leases, so two runs on one machine take turns on the sched_ext slot and the benchmark, and
    /// their artifacts, change sets, agent memory and run records are kept there past the process.
    /// A relative path is under each run's work directory. Default null: the state is in memory, per run.
    /// </summary>
    public string? RuntimeStatePath { get; set; }

    /// <summary>
    /// Deploy the best candidate on this host when it has sched_ext and the token validates (default false: a report
    /// only). Deployment on a production host is an operator's decision, never the default.
    /// </summary>
    public bool DeployOnHost { get; set; }

    /// <summary>
    /// Deploy the best candidate, when it beat EEVDF by the rule, through the control plane's deployment service (token,
    /// canary on the workload's KPI, rollback to the last known-good scheduler): on this host when it has sched_ext,
    /// otherwise in a sched_ext guest that plays the host. Needs <c>AddSchedCPControlPlane()</c>. Default false.
    /// </summary>
    public bool Deploy { get; set; }
}
