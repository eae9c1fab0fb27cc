using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>
/// The Planning agent: turns an <see cref="ObservationReport"/> and the repository's history into an
/// <see cref="OptimizationPlan"/>. With a model, the model searches the repository through tools (summaries first,
/// details on request) and answers with a JSON plan; every candidate's parameters are validated against the policy's
/// schema and the errors go back to the model. When there is no model, or it gives no valid plan within the attempts
/// (malformed JSON, refusal, invalid parameters), the <see cref="OfflinePlanner"/> plans instead and the plan says so.
/// </summary>
public sealed class PlanningAgent
{
    private const string Stage = "planning";
    private readonly PolicyRepository _repository;
    private readonly ILogger _logger;

    /// <summary>Creates the agent.</summary>
    /// <param name="repository">Policies, schemas and history.</param>
    /// <param name="logger">Logger.</param>
    public PlanningAgent(PolicyRepository repository, ILogger<PlanningAgent>? logger = null)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The system prompt of the model path.</summary>
    public const string SystemPrompt =
        "You are the Planning agent of sched-agent. Choose sched_ext schedulers for a measured workload. " +
        "Use search_policies (short summaries) and get_policy (full details, parameters) and get_history. " +
        "Only policies of kind bpfObject or kernelExample run in the sandbox. " +
        "Answer with one JSON object: {\"kind\": \"reconfigure\"|\"revise\"|\"generate\", \"candidates\": [{\"label\": str, \"policy\": str, " +
        "\"parameters\": {name: value}, \"source\": optional BPF C for revise/generate, \"rationale\": str}], \"reasons\": [str]}. " +
        "Parameter values are strings in the policy's schema (durations in nanoseconds).";

    /// <summary>Plans for <paramref name="report"/>.</summary>
    /// <param name="report">The observation.</param>
    /// <param name="lessons">What earlier iterations learned (empty on the first).</param>
    /// <param name="previousBest">The best candidate so far, or null.</param>
    /// <param name="maxCandidates">Most candidates.</param>
    /// <param name="chat">The model, or null for the offline planner.</param>
    /// <param name="ledger">Where cost goes.</param>
    /// <param name="cancellationToken">Cancels planning.</param>
    public async Task<OptimizationPlan> PlanAsync(
        ObservationReport report,
        IReadOnlyList<string> lessons,
        CandidateSpec? previousBest,
        int maxCandidates,
        IChatClient? chat,
        CostLedger ledger,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(lessons);
        ArgumentNullException.ThrowIfNull(ledger);
        using var timing = ledger.Time(Stage);
        var ranked = await _repository.RankAsync(report.Fingerprint, report.Kpi.Ranking, cancellationToken).ConfigureAwait(false);
        var history = ranked.Succeeded ? ranked.Value : [];
        OptimizationPlan plan;
        if (chat is null)
        {
            plan = OfflinePlanner.Plan(report, history, previousBest, maxCandidates);
        }
        else
        {
            var (answer, problems) = await AskModelAsync(report, lessons, history, maxCandidates, AgentChat.For(chat, ledger, Stage), cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                AgentLog.ModelPlanRejected(_logger, string.Join("; ", problems));
                var offline = OfflinePlanner.Plan(report, history, previousBest, maxCandidates);
                plan = offline with { Reasons = [$"The model gave no usable plan ({string.Join("; ", problems.TakeLast(2))}); planned offline.", .. offline.Reasons], Planner = "offline (model fallback)" };
            }
            else
            {
                plan = answer;
            }
        }

        AgentLog.Planned(_logger, plan.Kind, plan.Candidates.Count, plan.Planner);
        return plan;
    }

    private async Task<(OptimizationPlan? Plan, IReadOnlyList<string> Problems)> AskModelAsync(
        ObservationReport report, IReadOnlyList<string> lessons, IReadOnlyList<PolicyRanking> history, int maxCandidates, IChatClient chat, CancellationToken cancellationToken)
    {
        var tools = new List<AITool>
        {
            AIFunctionFactory.Create(async ([Description("What to look for, in words.")] string query, [Description("At most this many (1-10).")] int limit) =>
                {
                    var found = await _repository.SearchAsync(new PolicySearchQuery(query) { Limit = Math.Clamp(limit, 1, 10) }, cancellationToken).ConfigureAwait(false);
                    return string.Join("\n", found.Select(f => f.ToString()));
                }, "search_policies", "Search the policy repository; returns one-line summaries."),
            AIFunctionFactory.Create(async ([Description("The policy's name.")] string name) =>
                {
                    var policy = await _repository.GetPolicyAsync(name, cancellationToken).ConfigureAwait(false);
                    return policy.Succeeded
                        ? JsonSerializer.Serialize(new { policy.Value.Name, policy.Value.Kind, policy.Value.Description, policy.Value.Limitations, policy.Value.Parameters }, AgentJson.Options)
                        : policy.Error.ToString();
                }, "get_policy", "Full details of one policy, with its parameter schema."),
            AIFunctionFactory.Create(() => history.Count == 0 ? "No history for this workload yet." : string.Join("\n", history.Take(5).Select(h => h.ToString())),
                "get_history", "How policies did on this workload before, against EEVDF."),
        };
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt),
            new(ChatRole.User,
                $"Workload {report.Workload}: {report.Profile.Summary} Goal: {report.Goal}; KPI {report.Kpi.Metric} ({report.Kpi.Direction}). " +
                $"Long task names measured: {(report.LongTaskNames.Count == 0 ? "none" : string.Join(", ", report.LongTaskNames))}. " +
                $"Notes: {string.Join(" ", report.Notes)} Lessons so far: {(lessons.Count == 0 ? "none" : string.Join(" ", lessons))} " +
                $"Propose at most {maxCandidates} candidates."),
        };
        var (answer, problems) = await ModelConversation.AskAsync<PlanAnswer>(chat, messages, new ChatOptions { Tools = tools }, attempts: 3,
            (a, ct) => CheckAsync(a, ct), cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return (null, problems);
        }

        var candidates = answer.Candidates!.Take(maxCandidates).Select((c, i) => new CandidateSpec(
                string.IsNullOrWhiteSpace(c.Label) ? $"{c.Policy} #{i + 1}" : c.Label!.Trim(),
                c.Policy!,
                c.Values())
            {
                Source = c.Source,
                Rationale = c.Rationale ?? "",
            }).ToArray();
        return (new OptimizationPlan(answer.Kind ?? PlanKind.Reconfigure, candidates, answer.Reasons ?? [], "model"), problems);
    }

    private async Task<string?> CheckAsync(PlanAnswer answer, CancellationToken cancellationToken)
    {
        if (answer.Candidates is not { Count: > 0 })
        {
            return "The plan has no candidates; propose at least one.";
        }

        foreach (var c in answer.Candidates)
        {
            if (string.IsNullOrWhiteSpace(c.Policy))
            {
                return "Every candidate needs a policy name.";
            }

            if (c.Source is not null)
            {
                continue;
            }

            var validated = await _repository.ValidateParametersAsync(c.Policy, c.Values(), cancellationToken).ConfigureAwait(false);
            if (!validated.Succeeded)
            {
                return $"Candidate '{c.Label ?? c.Policy}': {validated.Error.Reason} Fix it and answer with the whole plan again.";
            }
        }

        return null;
    }

    private sealed record PlanAnswer(PlanKind? Kind, IReadOnlyList<CandidateAnswer>? Candidates, IReadOnlyList<string>? Reasons);

    private sealed record CandidateAnswer(string? Label, string? Policy, Dictionary<string, JsonElement>? Parameters, string? Source, string? Rationale)
    {
        /// <summary>Values as the schema reads them: a model may write 2000000 or "2000000" or true.</summary>
        public Dictionary<string, string> Values() => (Parameters ?? []).ToDictionary(
            p => p.Key,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(),
            StringComparer.Ordinal);
    }
}
