using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using SchedCP.Kernel.Analysis;
using SchedCP.Mcp.Safety;
using SchedCP.Repository;

namespace SchedCP.Mcp.Tools;

/// <summary>Workload profiles, their run history and baselines, and a system monitor for analysis.</summary>
[McpServerToolType]
public sealed class WorkloadTools(PolicyRepository repository, ControlPlaneState state, ToolCallGuard guard, TimeProvider time)
{
    /// <summary>Workload profiles and history.</summary>
    /// <param name="action">create, list, get_history or add_history.</param>
    /// <param name="description">For create: the description.</param>
    /// <param name="fingerprint">For get_history and add_history: the workload.</param>
    /// <param name="policy">For add_history: the policy that ran.</param>
    /// <param name="makespanSeconds">For add_history: measured makespan.</param>
    /// <param name="limit">How many items.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    [McpServerTool(Name = "workload", UseStructuredContent = true)]
    [Description("Workload profiles: action=create (description), list, get_history (fingerprint), add_history (fingerprint, policy, makespanSeconds).")]
    public async Task<WorkloadResult> WorkloadAsync(
        [Description("create, list, get_history or add_history.")] string action,
        [Description("create: what the workload is.")] string? description = null,
        [Description("get_history/add_history: the workload fingerprint from create or list.")] string? fingerprint = null,
        [Description("add_history: the policy that ran.")] string? policy = null,
        [Description("add_history: the measured makespan in seconds.")] double? makespanSeconds = null,
        [Description("How many items (1-50).")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "workload";
        var which = ToolCallGuard.OneOf(Tool, "action", action, "create", "list", "get_history", "add_history");
        guard.Limit(Tool, limit);
        await repository.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        switch (which)
        {
            case "create":
            {
                var text = ToolCallGuard.Text(Tool, "description", description, 2000);
                guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["action"] = which, ["description"] = text });
                var profile = await repository.RecordProfileAsync(text, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
                return new WorkloadResult(which, [new WorkloadItem(profile.Fingerprint, profile.Description)], []);
            }

            case "list":
            {
                var snapshot = await repository.Store.ExportAsync(cancellationToken).ConfigureAwait(false);
                return new WorkloadResult(which, [.. snapshot.Profiles.Take(limit).Select(p => new WorkloadItem(p.Fingerprint, p.Description))], []);
            }

            case "get_history":
            {
                var key = ToolCallGuard.Name(Tool, "fingerprint", fingerprint);
                var runs = await repository.Store.GetRunsAsync(key, cancellationToken).ConfigureAwait(false);
                return new WorkloadResult(which, [], [.. runs.OrderByDescending(r => r.RecordedAt).Take(limit).Select(HistoryItem.From)]);
            }

            default:
            {
                var key = ToolCallGuard.Name(Tool, "fingerprint", fingerprint);
                var name = ToolCallGuard.Name(Tool, "policy", policy);
                if (makespanSeconds is not (> 0 and < 1e6))
                {
                    throw new McpException($"{Tool}: add_history needs 'makespanSeconds' between 0 and 1e6 (got {makespanSeconds}). Measure the workload and pass its wall-clock time.");
                }

                return await AddRunAsync(Tool, key, name, name == RunRecord.BaselinePolicyName, makespanSeconds.Value, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records an EEVDF baseline run for a workload.</summary>
    /// <param name="fingerprint">The workload.</param>
    /// <param name="makespanSeconds">The measured makespan under EEVDF.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded run.</returns>
    [McpServerTool(Name = "record_baseline", UseStructuredContent = true)]
    [Description("Records a measurement of the workload under the kernel's default scheduler (EEVDF), the baseline every improvement is a ratio against.")]
    public Task<WorkloadResult> RecordBaselineAsync(
        [Description("The workload fingerprint.")] string fingerprint,
        [Description("The makespan in seconds under EEVDF.")] double makespanSeconds,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "record_baseline";
        var key = ToolCallGuard.Name(Tool, "fingerprint", fingerprint);
        if (makespanSeconds is not (> 0 and < 1e6))
        {
            throw new McpException($"{Tool}: 'makespanSeconds' must be between 0 and 1e6 (got {makespanSeconds}).");
        }

        return AddRunAsync(Tool, key, RunRecord.BaselinePolicyName, true, makespanSeconds, cancellationToken);
    }

    /// <summary>Ranks policies for a workload against its baseline.</summary>
    /// <param name="fingerprint">The workload.</param>
    /// <param name="limit">How many rankings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Feedback lines.</returns>
    [McpServerTool(Name = "get_feedback", ReadOnly = true, UseStructuredContent = true)]
    [Description("Ranks the policies measured on a workload by makespan against its EEVDF baseline, with confidence intervals.")]
    public async Task<FeedbackResult> GetFeedbackAsync(
        [Description("The workload fingerprint.")] string fingerprint,
        [Description("How many rankings (1-50).")] int limit = 5,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "get_feedback";
        var key = ToolCallGuard.Name(Tool, "fingerprint", fingerprint);
        guard.Limit(Tool, limit);
        var ranked = await repository.RankAsync(key, RankingMetric.Makespan, cancellationToken).ConfigureAwait(false);
        return ranked.Succeeded
            ? new FeedbackResult(key, [.. ranked.Value!.Take(limit).Select(r => r.ToString())])
            : throw new McpException($"{Tool}: {ranked.Failure!.Describe()} Record a baseline with record_baseline and runs with workload(action=add_history) first.");
    }

    /// <summary>Describes this system's load at a tier of detail.</summary>
    /// <param name="tier">1: one-second summary; 2: five seconds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The analysis.</returns>
    [McpServerTool(Name = "analyze_workload", ReadOnly = true, UseStructuredContent = true)]
    [Description("Samples this system (/proc) over an interval and summarises CPU, context switches, run queue and pressure. tier=1 samples 1 s, tier=2 samples 5 s.")]
    public async Task<AnalysisResult> AnalyzeWorkloadAsync(
        [Description("1 (quick) or 2 (longer sample).")] int tier = 1,
        CancellationToken cancellationToken = default)
    {
        if (tier is < 1 or > 2)
        {
            throw new McpException($"analyze_workload: 'tier' must be 1 or 2 (got {tier}).");
        }

        var summary = await new SystemSampler(timeProvider: time).SummarizeAsync(TimeSpan.FromSeconds(tier == 1 ? 1 : 5), cancellationToken).ConfigureAwait(false);
        return summary.TryGetValue(out var value, out var failure)
            ? new AnalysisResult(tier, value.Describe())
            : throw new McpException($"analyze_workload: {failure}");
    }

    /// <summary>Starts or stops the system monitor.</summary>
    /// <param name="action">start or stop.</param>
    /// <returns>The monitor's result.</returns>
    [McpServerTool(Name = "system_monitor", UseStructuredContent = true)]
    [Description("action=start takes a /proc sample; action=stop takes another and returns the summary of what happened in between.")]
    public AnalysisResult SystemMonitor([Description("start or stop.")] string action)
    {
        const string Tool = "system_monitor";
        var which = ToolCallGuard.OneOf(Tool, "action", action, "start", "stop");
        var sample = new SystemSampler(timeProvider: time).Capture();
        if (!sample.TryGetValue(out var now, out var failure))
        {
            throw new McpException($"{Tool}: {failure}");
        }

        if (which == "start")
        {
            state.MonitorStart = now;
            return new AnalysisResult(0, "monitor started; call system_monitor(action=stop) to get the summary");
        }

        var start = state.MonitorStart ?? throw new McpException($"{Tool}: the monitor is not running. Call system_monitor(action=start) first.");
        state.MonitorStart = null;
        return new AnalysisResult(0, SystemSummary.Between(start, now).Describe());
    }

    private async Task<WorkloadResult> AddRunAsync(string tool, string fingerprint, string policy, bool baseline, double makespan, CancellationToken cancellationToken)
    {
        guard.AdmitMutation(tool, new Dictionary<string, object?> { ["fingerprint"] = fingerprint, ["policy"] = policy, ["makespanSeconds"] = makespan });
        var run = new RunRecord(Guid.NewGuid().ToString("N"), fingerprint, policy, new Dictionary<string, string>(), "mcp-" + time.GetUtcNow().ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), 0, baseline, new RunMetrics(MakespanSeconds: makespan), time.GetUtcNow());
        var added = await repository.RecordRunsAsync([run], cancellationToken).ConfigureAwait(false);
        return added.Succeeded
            ? new WorkloadResult("add_history", [], [HistoryItem.From(run)])
            : throw new McpException($"{tool}: {added.Failure!.Describe()} Create the workload with workload(action=create) and use its fingerprint.");
    }
}

/// <summary>A workload tool's answer.</summary>
/// <param name="Action">The action.</param>
/// <param name="Workloads">Profiles.</param>
/// <param name="History">Runs.</param>
public sealed record WorkloadResult(string Action, IReadOnlyList<WorkloadItem> Workloads, IReadOnlyList<HistoryItem> History);

/// <summary>A workload profile.</summary>
/// <param name="Fingerprint">Its key.</param>
/// <param name="Description">What it is.</param>
public sealed record WorkloadItem(string Fingerprint, string Description);

/// <summary>One recorded run.</summary>
/// <param name="Policy">Policy.</param>
/// <param name="IsBaseline">Whether it is an EEVDF baseline.</param>
/// <param name="MakespanSeconds">Makespan.</param>
/// <param name="RecordedAt">When.</param>
public sealed record HistoryItem(string Policy, bool IsBaseline, double? MakespanSeconds, DateTimeOffset RecordedAt)
{
    /// <summary>From a run record.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The item.</returns>
    public static HistoryItem From(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.PolicyName, run.IsBaseline, run.Metrics.MakespanSeconds, run.RecordedAt);
    }
}

/// <summary>Ranking feedback.</summary>
/// <param name="Fingerprint">The workload.</param>
/// <param name="Rankings">One line per policy.</param>
public sealed record FeedbackResult(string Fingerprint, IReadOnlyList<string> Rankings);

/// <summary>A system analysis.</summary>
/// <param name="Tier">The tier (0 for the monitor).</param>
/// <param name="Summary">The summary text.</param>
public sealed record AnalysisResult(int Tier, string Summary);
