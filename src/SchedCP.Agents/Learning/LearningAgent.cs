using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.ControlPlane.Verification;
using SchedCP.Core.Diffs;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>
/// The Learning agent: writes every measured run into the repository's history with the EEVDF baseline of the same
/// guest (so a later ranking is a ratio, never free text), submits generated schedulers with their verdicts (kept as
/// antipatterns when rejected), and leaves short lessons for the next iteration. With a model, the model may add
/// lessons of its own; the history is written either way.
/// </summary>
public sealed class LearningAgent
{
    private const string Stage = "learning";
    private readonly PolicyRepository _repository;
    private readonly PolicyPromotion _promotion;
    private readonly SchedulerToolbox? _toolbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the agent.</summary>
    /// <param name="repository">History.</param>
    /// <param name="promotion">Lifecycle of generated policies.</param>
    /// <param name="timeProvider">Clock for records.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="toolbox">Gives a model the learning tools (read and record feedback); null gives it none.</param>
    public LearningAgent(PolicyRepository repository, PolicyPromotion promotion, TimeProvider? timeProvider = null, ILogger<LearningAgent>? logger = null, SchedulerToolbox? toolbox = null)
    {
        _toolbox = toolbox;
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _promotion = promotion ?? throw new ArgumentNullException(nameof(promotion));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The system prompt of the model path.</summary>
    public const string SystemPrompt =
        "You are the Learning agent of sched-agent. From the measured outcomes, write at most 3 short lessons for the next " +
        "iteration (what helped, what hurt, what to try). Answer with one JSON object: {\"lessons\": [str]}.";

    /// <summary>Records what <paramref name="execution"/> measured and returns the lessons.</summary>
    /// <param name="runId">The optimisation run's id (provenance of generated policies).</param>
    /// <param name="report">The observation (fingerprint, KPI).</param>
    /// <param name="execution">What was measured.</param>
    /// <param name="chat">The model, or null.</param>
    /// <param name="ledger">Where cost goes.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task<IReadOnlyList<string>> LearnAsync(string runId, ObservationReport report, ExecutionResult execution, IChatClient? chat, CostLedger ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(ledger);
        using var timing = ledger.Time(Stage);
        var records = new List<RunRecord>();
        foreach (var round in execution.Rounds.Where(r => r.Session.Failure is null))
        {
            var session = string.Create(CultureInfo.InvariantCulture, $"{runId}/{round.Name}");
            records.AddRange(Records(session, report.Fingerprint, RunRecord.BaselinePolicyName, new Dictionary<string, string>(), true, round.Session.Baseline!));
            for (var i = 0; i < round.Candidates.Count; i++)
            {
                var arm = round.Session.Candidates[i];
                if (arm.Healthy)
                {
                    var spec = round.Candidates[i].Spec;
                    records.AddRange(Records(session, report.Fingerprint, spec.PolicyName, spec.Parameters, false, arm));
                }
            }
        }

        // Generated schedulers go in first: the repository takes runs only of policies it holds, checked by their schema.
        var kept = new List<string>();
        var generatedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var generated in execution.Outcomes.Where(o => o.Spec.Source is not null))
        {
            generatedNames.Add(generated.Spec.PolicyName);
            var policy = new SchedulerPolicy
            {
                Name = generated.Spec.PolicyName,
                Kind = PolicyKind.Generated,
                Description = generated.Spec.Rationale.Length > 0 ? generated.Spec.Rationale : $"Generated for {report.Workload}.",
                Algorithm = generated.Spec switch
                {
                    { Parent: { } parent, Patch: { } patch } => $"revision of {parent}: {UnifiedDiff.Describe(patch)}",
                    { Primitives.Count: > 0 } composed => $"composed from {string.Join(", ", composed.Primitives)}",
                    _ => "generated",
                },
                TargetWorkloads = [report.Workload],
                Requirements = new PolicyRequirements("6.12", ["sched_ext", "btf"], []),
                Source = PolicyArtifact.FromText(generated.Spec.Source!),
                Provenance = new PolicyProvenance(PolicyOrigin.Generated, runId, generated.Spec.Parent is { } revised ? $"sched-agent, revising {revised}" : "sched-agent"),
                Primitives = generated.Spec.Primitives,
                Parameters = await ParametersOfAsync(generated.Spec, cancellationToken).ConfigureAwait(false),
                // The parent and the whole diff stay with the revision, so it can be reviewed and re-applied.
                Characteristics = generated.Spec is { Parent: { } p, Patch: { } d } ? [$"parent:{p}", $"patch:{d}"] : [],
            };
            var verdicts = generated.Verdicts.Count > 0 ? generated.Verdicts
                : [new VerifierVerdict("pipeline", generated.Status != CandidateStatus.FailedVerification, generated.Reason, "", _time.GetUtcNow())];
            var submitted = await _promotion.SubmitCandidateAsync(policy, verdicts, cancellationToken).ConfigureAwait(false);
            kept.Add(submitted.Succeeded
                ? $"Generated {policy.Name} kept as {submitted.Value!.Lifecycle}: {generated.Reason}"
                : $"Generated {policy.Name} not kept: {submitted.Failure!.Describe()}");
        }

        // Each generated scheduler's runs are a batch of their own: one the repository refuses loses only its runs,
        // never the baselines and the catalog policies' runs.
        var lessons = new List<string>();
        foreach (var batch in records.GroupBy(r => generatedNames.Contains(r.PolicyName) ? r.PolicyName : "").OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var runs = batch.ToList();
            var stored = await _repository.RecordRunsAsync(runs, cancellationToken).ConfigureAwait(false);
            lessons.Add(stored.Succeeded
                ? string.Create(CultureInfo.InvariantCulture, $"Recorded {runs.Count} runs{(batch.Key.Length == 0 ? ", EEVDF baselines included," : " of " + batch.Key)} under profile {report.Fingerprint}.")
                : $"History {(batch.Key.Length == 0 ? "" : "of " + batch.Key + " ")}not recorded: {stored.Failure!.Describe()}");
        }

        lessons.AddRange(kept);
        lessons.AddRange(Summarise(report, execution));
        if (chat is not null)
        {
            var messages = new List<ChatMessage>
            {
                new(ChatRole.System, SystemPrompt),
                new(ChatRole.User, $"Workload fingerprint {report.Fingerprint}.\n" + string.Join("\n", execution.Outcomes.Select(o => $"{o.Spec.Label}: {o.Status}: {o.Reason}"))),
            };
            var options = _toolbox is null ? null : new ChatOptions { Tools = [.. _toolbox.Functions(ToolRole.Learning)] };
            var (answer, problems) = await ModelConversation.AskAsync<LessonsAnswer>(AgentChat.For(chat, ledger, Stage), messages, options, 2,
                (_, _) => Task.FromResult<string?>(null), cancellationToken).ConfigureAwait(false);
            lessons.AddRange(answer?.Lessons?.Take(3).Select(l => "Model: " + (l.Length > 300 ? l[..300] : l)) ?? [$"The model gave no lessons ({string.Join("; ", problems)})."]);
        }

        return lessons;
    }

    private static IEnumerable<string> Summarise(ObservationReport report, ExecutionResult execution)
    {
        if (execution.Best is { Change: { } best } b)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Best: {b.Spec.Label}, {best.Kpi} x{best.Ratio:F3} against EEVDF ({best.Verdict}).");
        }
        else
        {
            yield return $"No candidate beat EEVDF on {report.Kpi.Metric} beyond the noise.";
        }

        foreach (var worse in execution.Outcomes.Where(o => o.Change?.Verdict == KpiVerdict.Worse).Take(3))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Avoid {worse.Spec.Label}: {worse.Change!.Kpi} x{worse.Change.Ratio:F3} (worse).");
        }

        foreach (var failed in execution.Outcomes.Where(o => o.Status is CandidateStatus.FailedVerification or CandidateStatus.Unhealthy or CandidateStatus.Rejected).Take(3))
        {
            yield return $"{failed.Spec.Label} {failed.Status}: {failed.Reason}";
        }
    }

    /// <summary>
    /// The schema of the parameters a generated scheduler ran with: its primitives' for a composed one, its parent's for
    /// a revision (it runs with the parent's .rodata); none for other source, which has no schema to check them by.
    /// </summary>
    private async Task<IReadOnlyList<ParameterSchema>> ParametersOfAsync(CandidateSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Primitives.Count > 0)
        {
            var composed = new SchedulerComposer().Compose("schedcp_" + spec.PolicyName, spec.Primitives);
            return composed.Succeeded ? composed.Value!.Parameters : [];
        }

        if (spec.Parent is { } parent && await _repository.GetPolicyAsync(parent, cancellationToken).ConfigureAwait(false) is { Succeeded: true } found)
        {
            return found.Value!.Parameters;
        }

        return [];
    }

    private IEnumerable<RunRecord> Records(string session, string fingerprint, string policy, IReadOnlyDictionary<string, string> parameters, bool baseline, SchedulerArm arm) =>
        arm.Runs.Where(r => r.Result is not null).Select(r => new RunRecord(
            string.Create(CultureInfo.InvariantCulture, $"{session}/{arm.Label}/{r.Repeat}/{Guid.NewGuid():N}"),
            fingerprint, policy, parameters, session, r.Repeat, baseline, Metrics(r.Result!), _time.GetUtcNow()));

    private static RunMetrics Metrics(WorkloadResult result) => new(
        MakespanSeconds: result.Get("makespan_ms") / 1000,
        Throughput: result.Get("requests_per_second"),
        LatencyP50Microseconds: result.Get("p50_us"),
        LatencyP99Microseconds: result.Get("p99_us"));

    private sealed record LessonsAnswer(IReadOnlyList<string>? Lessons);
}
