using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SchedCP.ControlPlane.Scheduling;
using SchedCP.ControlPlane.Verification;
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
    private readonly SchedulerToolbox? _toolbox;
    private readonly ExecutionOptions _options;
    private readonly SchedulerComposer _composer = new();
    private readonly ILogger _logger;

    /// <summary>Creates the agent.</summary>
    /// <param name="repository">Policies, schemas and history.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="toolbox">The control-plane tools the model acts through (compose, verify, patch); null gives it read-only lookups.</param>
    /// <param name="options">Where policies' sources are read from for revisions.</param>
    public PlanningAgent(PolicyRepository repository, ILogger<PlanningAgent>? logger = null, SchedulerToolbox? toolbox = null, IOptions<ExecutionOptions>? options = null)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _toolbox = toolbox;
        _options = options?.Value ?? new ExecutionOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The system prompt of the model path.</summary>
    public const string SystemPrompt =
        "You are the Planning agent of sched-agent. Choose sched_ext schedulers for a measured workload. " +
        "Use search_policies (short summaries), get_policy (details; includeSource=true for the BPF C), get_history, and when the tools are offered " +
        "list_primitives, compose_scheduler, verify_source and submit_patch to check a new or revised scheduler before you propose it. " +
        "Only policies of kind bpfObject, kernelExample or generated run in the sandbox. Three ways to act: reconfigure (a policy with new parameters), " +
        "revise (a unified diff against a policy's source) and generate (code primitives, or complete BPF C). " +
        "Answer with one JSON object: {\"kind\": \"reconfigure\"|\"revise\"|\"generate\", \"candidates\": [{\"label\": str, \"policy\": str, " +
        "\"parameters\": {name: value}, \"patch\": optional unified diff against the policy's source (revise), \"primitives\": optional [primitive names] (generate), " +
        "\"source\": optional complete BPF C (generate), \"rationale\": str}], \"reasons\": [str]}. " +
        "Parameter values are strings in the policy's schema (durations in nanoseconds); a revision takes its parent's parameters.";

    /// <summary>Plans for <paramref name="report"/>.</summary>
    /// <param name="report">The observation.</param>
    /// <param name="lessons">What earlier iterations learned (empty on the first).</param>
    /// <param name="previousBest">The best candidate so far, or null.</param>
    /// <param name="maxCandidates">Most candidates.</param>
    /// <param name="chat">The model, or null for the offline planner.</param>
    /// <param name="ledger">Where cost goes.</param>
    /// <param name="hostTool">Wraps each tool the model gets (the loop passes one that claims and records side-effecting calls on the agent runtime); null uses them as they are.</param>
    /// <param name="cancellationToken">Cancels planning.</param>
    public async Task<OptimizationPlan> PlanAsync(
        ObservationReport report,
        IReadOnlyList<string> lessons,
        CandidateSpec? previousBest,
        int maxCandidates,
        IChatClient? chat,
        CostLedger ledger,
        Func<AIFunction, AIFunction>? hostTool = null,
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
            plan = OfflinePlanner.Plan(report, history, previousBest, maxCandidates, await AvailableAsync(cancellationToken).ConfigureAwait(false));
        }
        else
        {
            var (answer, problems) = await AskModelAsync(report, lessons, history, maxCandidates, AgentChat.For(chat, ledger, Stage), hostTool, cancellationToken).ConfigureAwait(false);
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
        ObservationReport report, IReadOnlyList<string> lessons, IReadOnlyList<PolicyRanking> history, int maxCandidates, IChatClient chat, Func<AIFunction, AIFunction>? hostTool, CancellationToken cancellationToken)
    {
        var tools = new List<AITool>();
        if (_toolbox is not null)
        {
            tools.AddRange(_toolbox.Functions(ToolRole.Planning).Select(hostTool ?? (f => f)));
            tools.Add(AIFunctionFactory.Create(() => history.Count == 0 ? "No history for this workload yet." : string.Join("\n", history.Take(5).Select(h => h.ToString())),
                "get_history", "How policies did on this workload before, against EEVDF."));
        }
        else
        {
            tools.AddRange(ReadOnlyLookups(history, cancellationToken));
        }

        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt),
            new(ChatRole.User,
                $"Workload {report.Workload} (fingerprint {report.Fingerprint}): {report.Profile.Summary} Goal: {report.Goal}; KPI {report.Kpi.Metric} ({report.Kpi.Direction}). " +
                $"Long task names measured: {(report.LongTaskNames.Count == 0 ? "none" : string.Join(", ", report.LongTaskNames))}. " +
                $"Notes: {string.Join(" ", report.Notes)} Lessons so far: {(lessons.Count == 0 ? "none" : string.Join(" ", lessons))} " +
                $"Propose at most {maxCandidates} candidates."),
        };
        var built = new Dictionary<CandidateAnswer, CandidateSpec>(ReferenceEqualityComparer.Instance);
        var (answer, problems) = await ModelConversation.AskAsync<PlanAnswer>(chat, messages, new ChatOptions { Tools = tools }, attempts: 3,
            (a, ct) => CheckAsync(a, built, ct), cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return (null, problems);
        }

        var candidates = answer.Candidates!.Take(maxCandidates).Select((c, i) => built[c] with
            {
                Label = string.IsNullOrWhiteSpace(c.Label) ? $"{c.Policy} #{i + 1}" : c.Label!.Trim(),
                Rationale = c.Rationale ?? "",
            }).ToArray();
        var kind = candidates.Any(c => c.Patch is not null) ? PlanKind.Revise
            : candidates.Any(c => c.Source is not null) ? PlanKind.Generate
            : answer.Kind ?? PlanKind.Reconfigure;
        return (new OptimizationPlan(kind, candidates, answer.Reasons ?? [], "model"), problems);
    }

    private List<AITool> ReadOnlyLookups(IReadOnlyList<PolicyRanking> history, CancellationToken cancellationToken)
    {
        return new List<AITool>
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
                        : policy.Failure.ToString();
                }, "get_policy", "Full details of one policy, with its parameter schema."),
            AIFunctionFactory.Create(() => history.Count == 0 ? "No history for this workload yet." : string.Join("\n", history.Take(5).Select(h => h.ToString())),
                "get_history", "How policies did on this workload before, against EEVDF."),
        };
    }

    private async Task<IReadOnlySet<string>> AvailableAsync(CancellationToken cancellationToken)
    {
        await _repository.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var all = await _repository.Store.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
        return all.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Checks each candidate and builds its spec: a diff is applied to its parent's source, primitives are composed.</summary>
    private async Task<string?> CheckAsync(PlanAnswer answer, Dictionary<CandidateAnswer, CandidateSpec> built, CancellationToken cancellationToken)
    {
        if (answer.Candidates is not { Count: > 0 })
        {
            return "The plan has no candidates; propose at least one.";
        }

        built.Clear();
        for (var i = 0; i < answer.Candidates.Count; i++)
        {
            var c = answer.Candidates[i];
            if (string.IsNullOrWhiteSpace(c.Policy))
            {
                return "Every candidate needs a policy name.";
            }

            var name = c.Label ?? c.Policy;
            if (c.Primitives is { Count: > 0 } primitives)
            {
                var slug = PolicyName.IsValid(c.Policy) ? c.Policy : string.Create(CultureInfo.InvariantCulture, $"gen_{i + 1}");
                var composed = _composer.Compose("schedcp_" + slug, primitives);
                if (!composed.Succeeded)
                {
                    return $"Candidate '{name}': {composed.Failure!.Describe()} Fix it and answer with the whole plan again.";
                }

                built[c] = new CandidateSpec(name, slug, c.Values()) { Source = composed.Value!.Source, Primitives = [.. primitives] };
                continue;
            }

            if (c.Source is not null)
            {
                built[c] = new CandidateSpec(name, c.Policy, c.Values()) { Source = c.Source };
                continue;
            }

            var policy = await _repository.GetPolicyAsync(c.Policy, cancellationToken).ConfigureAwait(false);
            if (!policy.Succeeded)
            {
                return $"Candidate '{name}': {policy.Failure!.Describe()} Fix it and answer with the whole plan again.";
            }

            var validated = await _repository.ValidateParametersAsync(c.Policy, c.Values(), cancellationToken).ConfigureAwait(false);
            if (!validated.Succeeded)
            {
                return $"Candidate '{name}': {validated.Failure.Message} Fix it and answer with the whole plan again.";
            }

            if (c.Patch is { } patch)
            {
                if (PolicySchedulers.ReadSource(policy.Value!, _options.SourceDirectory, _options.BpfObjectDirectory) is not { } original)
                {
                    return $"Candidate '{name}': the source of {c.Policy} is not available to patch; reconfigure it or choose another policy.";
                }

                var applied = PolicyPatch.Apply(original, patch);
                if (!applied.Applied)
                {
                    return $"Candidate '{name}': the patch does not apply to {c.Policy}: {applied.Problem} Answer with the whole plan again.";
                }

                // A revision runs as new source: its parent's parameters become the .rodata values they set.
                var rodata = validated.Value!.Rodata.ToDictionary(r => r.Variable, r => r.Value, StringComparer.Ordinal);
                built[c] = new CandidateSpec(name, string.Create(CultureInfo.InvariantCulture, $"{c.Policy}_rev{i + 1}"), rodata)
                {
                    Source = applied.Text,
                    Parent = c.Policy,
                    Patch = patch,
                };
                continue;
            }

            if (policy.Value!.Kind == PolicyKind.Generated && policy.Value.Source?.Content is { } stored)
            {
                // A scheduler the model composed or revised through the tools and the repository stored: run its source.
                var parent = policy.Value.Characteristics.FirstOrDefault(x => x.StartsWith("parent:", StringComparison.Ordinal))?["parent:".Length..];
                built[c] = new CandidateSpec(name, c.Policy, validated.Value!.Rodata.ToDictionary(r => r.Variable, r => r.Value, StringComparer.Ordinal))
                {
                    Source = stored,
                    Parent = parent,
                };
                continue;
            }

            built[c] = new CandidateSpec(name, c.Policy, c.Values());
        }

        return null;
    }

    private sealed record PlanAnswer(PlanKind? Kind, IReadOnlyList<CandidateAnswer>? Candidates, IReadOnlyList<string>? Reasons);

    private sealed record CandidateAnswer(string? Label, string? Policy, Dictionary<string, JsonElement>? Parameters, string? Source, string? Rationale, string? Patch, IReadOnlyList<string>? Primitives)
    {
        /// <summary>Values as the schema reads them: a model may write 2000000 or "2000000" or true.</summary>
        public Dictionary<string, string> Values() => (Parameters ?? []).ToDictionary(
            p => p.Key,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(),
            StringComparer.Ordinal);
    }
}
