using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Kernel.Analysis;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>
/// The Observation agent: runs the workload once under observation (tier 2 on the host, where it is allowed), turns
/// the measurements into a <see cref="SchedCP.Kernel.Analysis.WorkloadProfile"/> and task groups by name, and finds the long tasks from their
/// CPU time. With a model, the model reads the summary first, asks for detail through tools, and may add notes or
/// narrow the long-task names (never invent one that was not observed).
/// </summary>
public sealed class ObservationAgent
{
    private const string Stage = "observation";
    private readonly WorkloadObserver _observer;
    private readonly PolicyRepository _repository;
    private readonly ILogger _logger;

    /// <summary>Creates the agent.</summary>
    /// <param name="observer">Runs and observes the workload.</param>
    /// <param name="repository">Gives the profile its history key.</param>
    /// <param name="logger">Logger.</param>
    public ObservationAgent(WorkloadObserver observer, PolicyRepository repository, ILogger<ObservationAgent>? logger = null)
    {
        _observer = observer ?? throw new ArgumentNullException(nameof(observer));
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The system prompt of the model path.</summary>
    public const string SystemPrompt =
        "You are the Observation agent of sched-agent. You describe a workload so that a scheduler can be chosen for it. " +
        "You get a short measured summary; call get_task_groups, get_profile_details or get_long_tasks only if you need more. " +
        "Answer with one JSON object: {\"notes\": [short factual notes], \"longTaskNames\": [task names that are long jobs]}. " +
        "Only name tasks that were observed. Do not speculate beyond the measurements.";

    /// <summary>Observes the workload of <paramref name="request"/>.</summary>
    /// <param name="request">What to observe.</param>
    /// <param name="chat">The model, or null for the deterministic report alone.</param>
    /// <param name="ledger">Where cost goes.</param>
    /// <param name="cancellationToken">Cancels the observation.</param>
    public async Task<ObservationReport> ObserveAsync(OptimizationRequest request, IChatClient? chat, CostLedger ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ledger);
        WorkloadObservation observation;
        using (ledger.Time(Stage))
        {
            observation = await _observer.ObserveAsync(request.Workload, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var report = await DescribeAsync(request, observation, cancellationToken).ConfigureAwait(false);
        if (chat is null)
        {
            return report;
        }

        using (ledger.Time(Stage))
        {
            return await EnrichAsync(report, AgentChat.For(chat, ledger, Stage), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The deterministic report of an observation: profile, task groups, long names, history key.</summary>
    /// <param name="request">The request (its hint becomes a note).</param>
    /// <param name="observation">The observation.</param>
    /// <param name="cancellationToken">Cancels the repository write.</param>
    public async Task<ObservationReport> DescribeAsync(OptimizationRequest request, WorkloadObservation observation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observation);
        var profile = observation.Profile;
        var groups = TaskGroups.Of(observation.Tree.Tasks);
        // Over every observed run, so one run's outlier cannot make a short task long or hide a long one.
        var longTasks = observation.Tree.Tasks.Count > 0 ? LongTaskIdentification.Of(observation.Repeats.Count > 0 ? observation.Repeats : [observation.Tree]) : LongTaskIdentification.None;
        // A name that short tasks share says nothing about which task is long.
        var longNames = longTasks.LongItems > 0 && longTasks.NamesDistinguish ? TaskGroups.LongNames(groups) : [];
        var c = profile.Characteristics;
        var characteristics = new Dictionary<string, string>
        {
            ["workload"] = request.Workload.Name,
            ["goal"] = profile.Goal.ToString(),
            ["cpu_bound"] = c.CpuBound ? "yes" : "no",
            ["io_bound"] = c.IoBound ? "yes" : "no",
            ["latency_sensitive"] = c.LatencySensitive ? "yes" : "no",
            ["short_lived_processes"] = c.ShortLivedProcesses ? "yes" : "no",
            ["long_tail"] = c.LongTail ? "yes" : "no",
        };
        if (longTasks.LongItems > 0)
        {
            // Long work known by name and long work known only by fork order need different schedulers (learned names
            // against learned fork order): one program run both ways must not share its lessons.
            characteristics["long_work_known_by"] = longTasks.NamesDistinguish ? "name" : "fork order";
        }

        var failure = observation.Run?.Failure;
        // A failed run measured nothing: its profile would be a false entry in the history, so only its key is computed.
        var fingerprint = failure is null
            ? (await _repository.RecordProfileAsync(profile.Summary, characteristics, cancellationToken).ConfigureAwait(false)).Fingerprint
            : WorkloadFingerprint.Compute(characteristics);
        var notes = new List<string>();
        if (request.Hint is { Length: > 0 } hint)
        {
            notes.Add("Operator: " + hint);
        }

        notes.Add("Observed: " + observation.Tree.Provenance + ".");
        if (failure is not null)
        {
            notes.Add("The observed run failed: " + failure.Message);
        }

        if (longTasks.LongItems > 0)
        {
            notes.Add("Long work: " + longTasks.Evidence + ".");
        }

        if (longNames.Count > 0)
        {
            var g = groups.First(x => x.Name == longNames[0]);
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Long tasks found by CPU time: {string.Join(", ", longNames)} (the longest, {g.Name}, used {g.MeanCpuMs:F0} ms, {g.RatioToMedian:F1}x the median task)."));
        }

        AgentLog.Observed(_logger, request.Workload.Name, profile.Goal.ToString(), longNames.Count);
        return new ObservationReport(request.Workload.Name, profile, groups.Take(16).ToArray(), longNames, fingerprint, notes)
        {
            Failure = failure,
            Metrics = observation.Run?.Result?.Metrics.Keys.Order(StringComparer.Ordinal).ToArray() ?? [],
            LongTasks = longTasks,
            DeclaredKpi = request.Workload.Kpi is { } printed ? PrimaryKpi.From(printed) : null,
        };
    }

    /// <summary>The model path alone, on a report already made (tests drive it with a scripted model).</summary>
    internal static Task<ObservationReport> EnrichForTestAsync(ObservationReport report, IChatClient chat) =>
        EnrichAsync(report, AgentChat.For(chat, new CostLedger(), Stage), CancellationToken.None);

    private static async Task<ObservationReport> EnrichAsync(ObservationReport report, IChatClient chat, CancellationToken cancellationToken)
    {
        var tools = new List<AITool>
        {
            AIFunctionFactory.Create(([Description("How many groups, longest first (1-16).")] int limit) =>
                    JsonSerializer.Serialize(report.TaskGroups.Take(Math.Clamp(limit, 1, 16)), AgentJson.Options),
                "get_task_groups", "Tasks grouped by name with their CPU time, longest first."),
            AIFunctionFactory.Create(() => JsonSerializer.Serialize(new { report.Profile.Characteristics, report.Profile.Resources, report.Profile.Reasons }, AgentJson.Options),
                "get_profile_details", "The measured characteristics, resource needs and the rules that classified the workload."),
            AIFunctionFactory.Create(() => JsonSerializer.Serialize(new { report.LongTasks, report.Profile.Source, report.Profile.Complete }, AgentJson.Options),
                "get_long_tasks", "Which work items are long by measurement, whether names tell them apart, their fork order under their parent, the short class's CPU-time p95, and how complete the observation is."),
        };
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt),
            new(ChatRole.User, $"Workload {report.Workload}. {report.Profile.Summary} Goal: {report.Goal}. " +
                               $"Top task groups: {string.Join("; ", report.TaskGroups.Take(3).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Name} x{g.Tasks} {g.MeanCpuMs:F0} ms")))}."),
        };
        var observed = report.TaskGroups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var (answer, problems) = await ModelConversation.AskAsync<ObservationAnswer>(
            chat, messages, new ChatOptions { Tools = tools }, attempts: 3,
            (a, _) => Task.FromResult(a.LongTaskNames?.FirstOrDefault(n => !observed.Contains(n)) is { } unknown
                ? $"'{unknown}' was not observed; name only observed tasks: {string.Join(", ", observed.Take(16))}."
                : null),
            cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return report with { Notes = [.. report.Notes, $"The model gave no usable observation ({string.Join("; ", problems)}); the measured report stands."] };
        }

        var longNames = answer.LongTaskNames is { Count: > 0 } names ? names.Take(TaskGroups.MaxLongNames).ToArray() : report.LongTaskNames;
        return report with
        {
            LongTaskNames = longNames,
            Notes = [.. report.Notes, .. (answer.Notes ?? []).Take(8).Select(n => "Model: " + (n.Length > 300 ? n[..300] : n))],
        };
    }

    private sealed record ObservationAnswer(IReadOnlyList<string>? Notes, IReadOnlyList<string>? LongTaskNames);
}
