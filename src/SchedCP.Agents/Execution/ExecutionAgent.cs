using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SchedCP.ControlPlane.Promotion;
using SchedCP.ControlPlane.Scheduling;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Agents;

/// <summary>
/// The Execution agent: materialises each planned candidate (parameters validated against the policy's schema;
/// revised or generated BPF C compiled and checked by the verifier, with the verifier's findings fed back to the model
/// for a bounded number of repairs), then measures the survivors side by side with EEVDF in the sandbox by successive
/// halving: a short screening round with every candidate, then a final round with more repeats for the best half.
/// A candidate is better only by the rule of <see cref="DeploymentFeedback.Compare"/> (means beyond twice the pooled spread; a rank test for tail percentiles).
/// </summary>
public sealed class ExecutionAgent
{
    private const string Stage = "execution";
    private readonly PolicyRepository _repository;
    private readonly VerifierPipeline _verifier;
    private readonly WorkloadRunner _workloads;
    private readonly ISandboxRunner _sandbox;
    private readonly ExecutionOptions _options;
    private readonly SchedulerToolbox? _toolbox;
    private readonly ILogger _logger;

    /// <summary>Creates the agent.</summary>
    /// <param name="repository">Policies and parameter schemas.</param>
    /// <param name="verifier">The verifier pipeline every object goes through.</param>
    /// <param name="workloads">Runs the workloads in the sandbox.</param>
    /// <param name="sandbox">The sandbox.</param>
    /// <param name="options">Options.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="toolbox">The tools a repairing model may call (verify a source, read a policy, trial); null gives it none.</param>
    public ExecutionAgent(PolicyRepository repository, VerifierPipeline verifier, WorkloadRunner workloads, ISandboxRunner sandbox, IOptions<ExecutionOptions>? options = null, ILogger<ExecutionAgent>? logger = null, SchedulerToolbox? toolbox = null)
    {
        _toolbox = toolbox;
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _workloads = workloads ?? throw new ArgumentNullException(nameof(workloads));
        _sandbox = sandbox ?? throw new ArgumentNullException(nameof(sandbox));
        _options = options?.Value ?? new ExecutionOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The system prompt for repairing a scheduler the verifier stopped.</summary>
    public const string RepairPrompt =
        "You are the Execution agent of sched-agent. A sched_ext BPF scheduler you wrote was stopped by the verifier. " +
        "Fix exactly what the findings and the verifier's log say (verify_source checks a fix before you answer) and answer with one JSON object: {\"source\": \"the complete corrected BPF C\"}. " +
        "If you cannot fix it, answer {\"source\": \"\"}.";

    /// <summary>Materialises every candidate of <paramref name="plan"/> and measures the survivors.</summary>
    /// <param name="request">Budgets (repeats, finalists).</param>
    /// <param name="report">The observation (the KPI).</param>
    /// <param name="plan">The plan.</param>
    /// <param name="chat">The model, for repairs of generated schedulers; null for none.</param>
    /// <param name="ledger">Where cost goes.</param>
    /// <param name="writeSource">Writes a generated source file (relative path, text) and returns its absolute path; the loop passes one that goes through the agent runtime's tool host.</param>
    /// <param name="hostTool">Wraps each tool a repairing model gets (the loop passes one that claims and records side-effecting calls on the agent runtime).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<ExecutionResult> ExecuteAsync(
        OptimizationRequest request,
        ObservationReport report,
        OptimizationPlan plan,
        IChatClient? chat,
        CostLedger ledger,
        Func<string, string, CancellationToken, Task<string>>? writeSource = null,
        Func<AIFunction, AIFunction>? hostTool = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(ledger);
        writeSource ??= WriteLocallyAsync;
        var outcomes = new Dictionary<CandidateSpec, CandidateOutcome>();
        var ready = new List<MaterializedCandidate>();
        using (ledger.Time(Stage))
        {
            var repairer = chat is null ? null : AgentChat.For(chat, ledger, Stage);
            foreach (var spec in plan.Candidates)
            {
                var (candidate, failure) = await MaterializeAsync(spec, repairer, writeSource, cancellationToken, hostTool).ConfigureAwait(false);
                if (candidate is null)
                {
                    outcomes[spec] = failure!;
                    AgentLog.CandidateResult(_logger, spec.Label, failure!.Status, failure.Reason);
                }
                else
                {
                    ready.Add(candidate);
                }
            }
        }

        var rounds = new List<EvaluationRound>();
        var kpi = report.Kpi;
        var finalists = ready;
        using (ledger.Time("screening"))
        {
            if (ready.Count > request.Finalists)
            {
                var screening = await RoundAsync("screening", request, ready, cancellationToken).ConfigureAwait(false);
                rounds.Add(screening);
                var scored = Score(screening, kpi, outcomes);
                var keep = Math.Max(request.Finalists, (scored.Count + 1) / 2);
                finalists = scored.OrderBy(s => Goodness(s.Change, kpi)).Take(keep).Select(s => s.Candidate).ToList();
                foreach (var (candidate, change) in scored.Where(s => !finalists.Contains(s.Candidate)))
                {
                    outcomes[candidate.Spec] = Outcome(candidate, CandidateStatus.Screened, $"screened out: {Describe(change)}", change);
                }
            }
        }

        CandidateOutcome? best = null;
        MaterializedCandidate? bestCandidate = null;
        using (ledger.Time("final"))
        {
            if (finalists.Count > 0)
            {
                var final = await RoundAsync("final", request, finalists, cancellationToken).ConfigureAwait(false);
                rounds.Add(final);
                foreach (var (candidate, change) in Score(final, kpi, outcomes))
                {
                    var outcome = Outcome(candidate, CandidateStatus.Measured, Describe(change), change);
                    outcomes[candidate.Spec] = outcome;
                    if (change.Verdict == KpiVerdict.Better && (best is null || Goodness(change, kpi) < Goodness(best.Change!, kpi)))
                    {
                        best = outcome;
                        bestCandidate = candidate;
                    }
                }
            }
        }

        foreach (var o in outcomes.Values.Where(o => o.Status is CandidateStatus.Measured or CandidateStatus.Screened or CandidateStatus.Unhealthy))
        {
            AgentLog.CandidateResult(_logger, o.Spec.Label, o.Status, o.Reason);
        }

        var ordered = plan.Candidates.Select(s => outcomes.TryGetValue(s, out var o) ? o
            : new CandidateOutcome(s, CandidateStatus.Unhealthy, "no measurement: the sandbox session failed", null, null)).ToArray();
        return new ExecutionResult(ordered, best, bestCandidate, rounds);
    }

    private async Task<EvaluationRound> RoundAsync(string name, OptimizationRequest request, List<MaterializedCandidate> candidates, CancellationToken cancellationToken)
    {
        var repeats = name == "final" ? request.FinalRepeats : request.ScreeningRepeats;
        AgentLog.Round(_logger, name, candidates.Count, repeats);
        var session = await _workloads.RunSideBySideInSandboxAsync(_sandbox, [request.Workload], repeats,
            candidates.Select(c => c.Scheduler).ToArray(), _options.SessionTimeout, cancellationToken).ConfigureAwait(false);
        return new EvaluationRound(name, candidates, session);
    }

    /// <summary>Each healthy arm's KPI against the session's EEVDF arm; unhealthy arms become outcomes.</summary>
    private static List<(MaterializedCandidate Candidate, KpiChange Change)> Score(EvaluationRound round, PrimaryKpi kpi, Dictionary<CandidateSpec, CandidateOutcome> outcomes)
    {
        var scored = new List<(MaterializedCandidate, KpiChange)>();
        var session = round.Session;
        var baseline = session.Baseline?.Values(round.Candidates.Count > 0 ? WorkloadName(session) : "", kpi.Metric) ?? [];
        for (var i = 0; i < round.Candidates.Count; i++)
        {
            var candidate = round.Candidates[i];
            if (session.Failure is { } failure)
            {
                outcomes[candidate.Spec] = Outcome(candidate, CandidateStatus.Unhealthy, $"the sandbox session failed: {failure.Message}", null);
                continue;
            }

            var arm = session.Candidates[i];
            var values = arm.Values(WorkloadName(session), kpi.Metric);
            if (!arm.Healthy || values.Count == 0 || baseline.Count == 0)
            {
                outcomes[candidate.Spec] = Outcome(candidate, CandidateStatus.Unhealthy,
                    arm.Problem ?? (baseline.Count == 0 ? "EEVDF produced no measurement in this guest" : $"no {kpi.Metric} measured"), null);
                continue;
            }

            scored.Add((candidate, DeploymentFeedback.Compare(kpi.Metric, kpi.Direction, baseline, values)));
        }

        return scored;
    }

    private static string WorkloadName(SideBySideSession session) => session.Baseline is { Runs.Count: > 0 } b ? b.Runs[0].Workload.Name : "";

    /// <summary>Lower is better: the ratio, inverted for KPIs where higher is better.</summary>
    private static double Goodness(KpiChange change, PrimaryKpi kpi) => kpi.Direction == KpiDirection.LowerIsBetter ? change.Ratio : 1 / change.Ratio;

    private static string Describe(KpiChange change) => string.Create(CultureInfo.InvariantCulture,
        $"{change.Kpi} {change.Current.Mean:G4}±{change.Current.StdDev:G3} vs EEVDF {change.Baseline.Mean:G4}±{change.Baseline.StdDev:G3} (x{change.Ratio:F3}, {change.Verdict}: {change.Rule})");

    private static CandidateOutcome Outcome(MaterializedCandidate candidate, CandidateStatus status, string reason, KpiChange? change) =>
        new(candidate.Spec, status, reason, change, candidate.Verification.Summary)
        {
            Verdicts = candidate.Verification.Verdicts.Select(v => v.ToRepositoryVerdict()).ToArray(),
        };

    internal async Task<(MaterializedCandidate? Candidate, CandidateOutcome? Failure)> MaterializeAsync(
        CandidateSpec spec, IChatClient? repairer, Func<string, string, CancellationToken, Task<string>> writeSource, CancellationToken cancellationToken, Func<AIFunction, AIFunction>? hostTool = null)
    {
        if (spec.Source is { } source)
        {
            return await MaterializeSourceAsync(spec, source, repairer, writeSource, hostTool, cancellationToken).ConfigureAwait(false);
        }

        var found = await _repository.GetPolicyAsync(spec.PolicyName, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return (null, new CandidateOutcome(spec, CandidateStatus.Rejected, found.Failure!.Describe(), null, null));
        }

        var policy = found.Value!;
        if (policy.Kind == PolicyKind.Generated && policy.Source?.Content is { } stored)
        {
            return await MaterializeSourceAsync(spec with { Source = stored }, stored, repairer, writeSource, hostTool, cancellationToken).ConfigureAwait(false);
        }

        var validated = await _repository.ValidateParametersAsync(policy.Name, spec.Parameters, cancellationToken).ConfigureAwait(false);
        if (!validated.Succeeded)
        {
            return (null, new CandidateOutcome(spec, CandidateStatus.Rejected, validated.Failure!.Describe(), null, null));
        }

        var parameters = validated.Value!;
        if (PolicySchedulers.Create(policy, parameters, _options.BpfObjectDirectory, out var problem) is not { } scheduler)
        {
            return (null, new CandidateOutcome(spec, CandidateStatus.Rejected, problem!, null, null));
        }

        if (scheduler is ScxBinaryScheduler binary)
        {
            // A kernel example is a binary: there is no object of ours to analyse; the sandbox run is its test.
            var report = new VerificationReport(new VerificationCandidate(policy.Name) { Parameters = parameters.Values },
                [PolicySchedulers.KernelExampleProvenance(DateTimeOffset.UnixEpoch)],
                binary.BinaryPath);
            return (new MaterializedCandidate(spec, binary, report, binary.BinaryPath), null);
        }

        var objectPath = ((BpfObjectScheduler)scheduler).ObjectPath;
        return await VerifyAsync(spec, scheduler, VerificationCandidate.FromObject(policy.Name, objectPath) with
        {
            Parameters = parameters.Values,
            ExpectedOpsName = policy.OpsName,
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(MaterializedCandidate?, CandidateOutcome?)> VerifyAsync(CandidateSpec spec, SchedulerUnderTest scheduler, VerificationCandidate candidate, CancellationToken cancellationToken)
    {
        var report = await _verifier.VerifyAsync(candidate, cancellationToken).ConfigureAwait(false);
        if (!report.Passed)
        {
            return (null, new CandidateOutcome(spec, CandidateStatus.FailedVerification, $"{report.FailedStage!.Stage}: {report.FailedStage.Reason}", null, report.Summary)
            {
                Verdicts = report.Verdicts.Select(v => v.ToRepositoryVerdict()).ToArray(),
            });
        }

        return (new MaterializedCandidate(spec, scheduler, report, candidate.ObjectPath ?? report.ObjectPath!), null);
    }

    private async Task<(MaterializedCandidate?, CandidateOutcome?)> MaterializeSourceAsync(
        CandidateSpec spec, string source, IChatClient? repairer, Func<string, string, CancellationToken, Task<string>> writeSource, Func<AIFunction, AIFunction>? hostTool, CancellationToken cancellationToken)
    {
        // A generated scheduler has no schema yet: only plain .rodata names with integer or boolean values pass.
        if (spec.Parameters.FirstOrDefault(p => !IsPlainRodata(p.Key, p.Value)) is { Key: not null } bad)
        {
            return (null, new CandidateOutcome(spec, CandidateStatus.Rejected,
                $"Parameter '{bad.Key}' = '{bad.Value}' is not a C identifier with an integer or true/false value; a generated scheduler takes only those.", null, null));
        }

        var slug = new string(spec.Label.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray()).Trim('_');
        slug = slug.Length == 0 ? "candidate" : slug.Length > 40 ? slug[..40] : slug;
        var messages = new List<ChatMessage> { new(ChatRole.System, RepairPrompt) };
        VerificationReport? report = null;
        for (var attempt = 0; attempt <= (repairer is null ? 0 : _options.MaxRepairs); attempt++)
        {
            var relative = string.Create(CultureInfo.InvariantCulture, $"generated/{slug}.{attempt}.bpf.c");
            var path = await writeSource(relative, source, cancellationToken).ConfigureAwait(false);
            report = await _verifier.VerifyAsync(VerificationCandidate.FromSource(spec.PolicyName, path) with { Parameters = spec.Parameters }, cancellationToken).ConfigureAwait(false);
            if (report.Passed)
            {
                var scheduler = new BpfObjectScheduler(report.ObjectPath!) { Rodata = spec.Parameters };
                return (new MaterializedCandidate(spec with { Source = source }, scheduler, report, report.ObjectPath!), null);
            }

            if (repairer is null || attempt == _options.MaxRepairs)
            {
                break;
            }

            var failed = report.FailedStage!;
            var findings = new StringBuilder();
            foreach (var f in failed.Findings.Take(10))
            {
                findings.Append("- ").Append(f).Append(' ').Append(f.Remedy).Append('\n');
            }

            var log = failed.Log.Length <= SourceCheck.MaxLogTail ? failed.Log : failed.Log[^SourceCheck.MaxLogTail..];
            messages.Add(new ChatMessage(ChatRole.User,
                $"The {failed.Stage} stage stopped it: {failed.Reason}\nFindings:\n{findings}{(log.Length == 0 ? "" : $"Log (tail):\n{log}\n")}Source:\n{source}"));
            var (answer, _) = await ModelConversation.AskAsync<RepairAnswer>(repairer, messages, _toolbox is null ? null : new ChatOptions { Tools = [.. _toolbox.Functions(ToolRole.Execution).Select(hostTool ?? (f => f))] }, attempts: 2,
                (a, _) => Task.FromResult<string?>(null), cancellationToken).ConfigureAwait(false);
            if (answer?.Source is not { Length: > 0 } repaired)
            {
                break;
            }

            source = repaired;
        }

        var stage = report!.FailedStage!;
        return (null, new CandidateOutcome(spec with { Source = source }, CandidateStatus.FailedVerification, $"{stage.Stage}: {stage.Reason}", null, report.Summary)
        {
            Verdicts = report.Verdicts.Select(v => v.ToRepositoryVerdict()).ToArray(),
        });
    }

    private static bool IsPlainRodata(string name, string value) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') &&
        (value is "true" or "false" || (value.Length is > 0 and <= 20 && value.All(char.IsAsciiDigit)));

    private async Task<string> WriteLocallyAsync(string relative, string text, CancellationToken cancellationToken)
    {
        var root = _options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-agents");
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private sealed record RepairAnswer(string? Source);
}
