using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Orchestration.Memory;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.ControlPlane.Deployment;
using SchedCP.Kernel.Capabilities;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Agents;

/// <summary>
/// The closed loop of sched-agent: observe, plan, execute (materialise, verify, measure side by side with EEVDF),
/// decide the deployment, learn, and optionally iterate from what was learned. The four roles run as agents on
/// <see cref="AgentRuntime"/>: each claims the work units it touches (the benchmark, the sched_ext slot, the generated
/// source files) before acting, every claim, file change and model call is recorded in the runtime's event log, and
/// each role's summary and next steps are kept in the runtime's agent memory.
/// </summary>
public sealed class OptimizationLoop
{
    /// <summary>The work unit only one role holds at a time: the roles hand the loop on in the order they were added.</summary>
    public static readonly WorkUnit Baton = WorkUnit.Process("sched-agent");

    private readonly ObservationAgent _observation;
    private readonly PlanningAgent _planning;
    private readonly ExecutionAgent _execution;
    private readonly LearningAgent _learning;
    private readonly DeploymentTokenIssuer _tokens;
    private readonly DeploymentService? _deployments;
    private readonly Repository.PolicyPromotion? _promotion;
    private readonly OptimizationLoopOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly GuardedProgress _progress;

    /// <summary>Creates the loop.</summary>
    /// <param name="observation">The Observation agent.</param>
    /// <param name="planning">The Planning agent.</param>
    /// <param name="execution">The Execution agent.</param>
    /// <param name="learning">The Learning agent.</param>
    /// <param name="tokens">Signs deployment tokens for the best candidate.</param>
    /// <param name="options">Options.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="loggerFactory">Loggers.</param>
    /// <param name="deployments">The control plane's deployment service; without it the loop only reports (and issues the token).</param>
    /// <param name="promotion">Promotes a deployed revised or generated winner to production with its deployment receipt; null leaves it verified.</param>
    /// <param name="progress">Told of each run's stages, candidates, verifier reports and cost as they happen (e.g. the operator console); none by default.</param>
    public OptimizationLoop(
        ObservationAgent observation,
        PlanningAgent planning,
        ExecutionAgent execution,
        LearningAgent learning,
        DeploymentTokenIssuer tokens,
        IOptions<OptimizationLoopOptions>? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        DeploymentService? deployments = null,
        Repository.PolicyPromotion? promotion = null,
        IEnumerable<IOptimizationProgress>? progress = null)
    {
        _deployments = deployments;
        _promotion = promotion;
        _observation = observation ?? throw new ArgumentNullException(nameof(observation));
        _planning = planning ?? throw new ArgumentNullException(nameof(planning));
        _execution = execution ?? throw new ArgumentNullException(nameof(execution));
        _learning = learning ?? throw new ArgumentNullException(nameof(learning));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _options = options?.Value ?? new OptimizationLoopOptions();
        _time = timeProvider ?? TimeProvider.System;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<OptimizationLoop>();
        _progress = new GuardedProgress([.. progress ?? []], _logger);
    }

    /// <summary>Runs the loop for <paramref name="request"/>.</summary>
    /// <param name="request">What to optimise and the budget.</param>
    /// <param name="chat">The model for all four roles; null runs the offline planner and deterministic roles.</param>
    /// <param name="cancellationToken">Cancels the loop.</param>
    /// <returns>The result, with every candidate's outcome and the cost; the runtime's report is in <see cref="LastRun"/>.</returns>
    public async Task<OptimizationResult> RunAsync(OptimizationRequest request, IChatClient? chat = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Iterations, 1);
        var runId = string.Create(CultureInfo.InvariantCulture, $"{request.Workload.Name}-{_time.GetUtcNow():yyyyMMddHHmmss}");
        _progress.LoopStarted(runId, request.Workload.Name, null);
        try
        {
            var result = await RunCoreAsync(runId, request, chat, cancellationToken).ConfigureAwait(false);
            _progress.LoopFinished(runId, Outcome(result));
            return result;
        }
        catch (Exception e)
        {
            _progress.LoopFinished(runId, e is OperationCanceledException ? "cancelled" : "failed: " + e.Message);
            throw;
        }
    }

    /// <summary>The agent runtime's report of the last run (events, agents, change sets).</summary>
    public AgentRunReport? LastRun { get; private set; }

    private async Task<OptimizationResult> RunCoreAsync(string runId, OptimizationRequest request, IChatClient? chat, CancellationToken cancellationToken)
    {
        var workspace = _options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-agents", runId);
        Directory.CreateDirectory(workspace);
        var ledger = new CostLedger(_time, _options.Price, _options.Prices, _options.Budget);
        var board = new Board();

        using var runtime = new AgentRuntime(
            new AgentRuntimeOptions { WorkspaceRoot = workspace, DefaultLeaseTtl = _options.LeaseTtl, EventLogPath = ".schedcp-runtime/events.jsonl", StatePath = _options.RuntimeStatePath },
            _time, eventLog: null, chatClient: chat, loggerFactory: _loggers);

        runtime.AddAgent("observation", (ctx, ct) => Role(runId, ctx, [Claim.Exclusive(ProcessResources.Benchmark)], board, ledger, async () =>
        {
            board.Observation = await _observation.ObserveAsync(request, ctx.ChatClient, ledger, ct).ConfigureAwait(false);
            if (board.Observation.Failure is { } observed)
            {
                board.Failure = new OptimizationFailure(OptimizationFailureKind.ObservationFailed,
                    $"{request.Workload.Name} could not be observed: {observed.Message}", observed.Remedy);
                Remember(ctx, board.Failure.Message, []);
                return;
            }

            _progress.LoopStarted(runId, request.Workload.Name, board.Observation.Kpi);
            Remember(ctx, $"{board.Observation.Workload}: {board.Observation.Profile.Summary}", [new NextStep("planning: choose candidates for " + board.Observation.Kpi.Metric)]);
        }));
        for (var i = 1; i <= request.Iterations; i++)
        {
            var iteration = i;
            runtime.AddAgent($"planning-{iteration}", (ctx, ct) => Role(runId, ctx, [], board, ledger, async () =>
            {
                if (board.Failure is not null)
                {
                    return;
                }

                var plan = await _planning.PlanAsync(board.Observation!, board.Lessons, board.Best?.Spec, request.MaxCandidates, ctx.ChatClient, ledger, RuntimeHostedFunction.For(ctx), ct).ConfigureAwait(false);
                board.Plans.Add(plan);
                foreach (var candidate in plan.Candidates)
                {
                    _progress.CandidateChanged(runId, candidate, null);
                }

                ctx.Memory.LogInteraction(ctx.AgentId, "observation", "read the observation report");
                Remember(ctx, $"{plan.Kind} by {plan.Planner}: {string.Join("; ", plan.Candidates.Select(c => c.Label))}", [new NextStep("execution: materialise and measure")]);
            }));
            runtime.AddAgent($"execution-{iteration}", (ctx, ct) => Role(runId, ctx, [Claim.Exclusive(ProcessResources.SchedExtSlot), Claim.Exclusive(ProcessResources.Benchmark)], board, ledger, async () =>
            {
                if (board.Failure is not null)
                {
                    return;
                }

                var result = await _execution.ExecuteAsync(request, board.Observation!, board.Plans[^1], ctx.ChatClient, ledger,
                    (relative, text, _) => WriteThroughRuntimeAsync(ctx, workspace, relative, text), RuntimeHostedFunction.For(ctx), ct).ConfigureAwait(false);
                foreach (var outcome in result.Outcomes)
                {
                    _progress.CandidateChanged(runId, outcome.Spec, outcome);
                    if (outcome.Verdicts.Count > 0)
                    {
                        _progress.VerifierReported(runId, outcome.Spec.Label, outcome.Verdicts);
                    }
                }

                if (NothingTrialled(result) is { } failure)
                {
                    // Only the first iteration can fail as a whole: later ones refine what an earlier one measured.
                    if (board.Executions.Count == 0)
                    {
                        board.Failure = failure;
                        board.Unjudged.AddRange(result.Outcomes);
                        Remember(ctx, failure.Message, []);
                        return;
                    }
                }

                board.Executions.Add(result);
                if (result.Best is not null && (board.Best is null || Better(result.Best, board.Best, board.Observation!.Kpi)))
                {
                    board.Best = result.Best;
                    board.BestCandidate = result.BestCandidate;
                }

                Remember(ctx, result.Best is null ? "no candidate beat EEVDF" : $"best {result.Best.Spec.Label}: {result.Best.Reason}", [new NextStep("learning: record the runs")]);
            }));
            runtime.AddAgent($"learning-{iteration}", (ctx, ct) => Role(runId, ctx, [], board, ledger, async () =>
            {
                // A failed run leaves no history: nothing half-done goes into the repository.
                if (board.Failure is not null || board.Executions.Count < iteration)
                {
                    return;
                }

                var lessons = await _learning.LearnAsync(runId, board.Observation!, board.Executions[^1], ctx.ChatClient, ledger, ct).ConfigureAwait(false);
                board.Lessons.AddRange(lessons);
                Remember(ctx, string.Join(" ", lessons.Take(3)), iteration < request.Iterations ? [new NextStep($"planning-{iteration + 1}: refine the best")] : []);
            }));
        }

        _progress.RuntimeCreated(runId, runtime);
        LastRun = await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
        var failed = LastRun.Agents.FirstOrDefault(a => a.State == AgentState.Failed);
        if (board.Stop is { } stop && board.Executions.Count == 0 && board.Failure is null)
        {
            board.Failure = new OptimizationFailure(OptimizationFailureKind.BudgetExhausted, $"The run stopped: {stop}.",
                "Raise the budget (OptimizationLoopOptions.Budget) or plan offline (no model) for this workload.");
        }

        if (board.Observation is null && board.Failure is { Kind: OptimizationFailureKind.BudgetExhausted })
        {
            throw new BudgetExhaustedException(board.Stop!);
        }

        if (board.Observation is null || failed is not null)
        {
            throw new InvalidOperationException($"The agent {failed?.Id ?? "observation"} failed: {failed?.FailureReason ?? "no observation"}. The runtime's event log is in {workspace}.");
        }

        if (board.Failure is { } loopFailure)
        {
            AgentLog.Failed(_logger, request.Workload.Name, loopFailure.Kind.ToString(), loopFailure.Message);
            return new OptimizationResult(
                request.Workload.Name, board.Observation.Kpi.Metric, board.Observation.Kpi.Direction, board.Observation, board.Plans,
                board.Executions.SelectMany(e => e.Outcomes).Concat(board.Unjudged).ToArray(), null,
                new DeploymentDecision(false, null, "Nothing to deploy: " + loopFailure.Message), board.Lessons, ledger.Report())
            {
                Failure = loopFailure,
                BudgetStop = board.Stop,
            };
        }

        var deployment = await DecideAsync(board, cancellationToken).ConfigureAwait(false);
        var result = new OptimizationResult(
            request.Workload.Name, board.Observation.Kpi.Metric, board.Observation.Kpi.Direction, board.Observation, board.Plans,
            board.Executions.SelectMany(e => e.Outcomes).ToArray(), board.Best, deployment, board.Lessons, ledger.Report())
        {
            BudgetStop = board.Stop,
        };
        if (board.Best?.Change is { } change)
        {
            AgentLog.Best(_logger, result.Workload, board.Best.Spec.Label, change.Kpi, change.Ratio, change.Verdict.ToString());
        }

        return result;
    }

    private static string Outcome(OptimizationResult result) =>
        result.Failure is { } failure ? $"failed ({failure.Kind}): {failure.Message}"
        : result.Best is { Change: { } change } best ? string.Create(CultureInfo.InvariantCulture, $"best {best.Spec.Label}: {change.Kpi} x{change.Ratio:F3} against EEVDF ({change.Verdict}). {result.Deployment.Explanation}")
        : "no candidate beat EEVDF by the rule. " + result.Deployment.Explanation;

    private async Task<DeploymentDecision> DecideAsync(Board board, CancellationToken cancellationToken)
    {
        if (board.BestCandidate is not { } best)
        {
            return new DeploymentDecision(false, null, "Nothing to deploy: no candidate beat EEVDF by the rule.");
        }

        var objectHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(best.ObjectPath)));
        var token = _tokens.Issue(best.Spec.PolicyName, objectHash, best.Spec.Source is null ? null : Repository.PolicyArtifact.FromText(best.Spec.Source).Sha256,
            best.Spec.Parameters, best.Verification.Summary + " " + board.Best!.Reason);
        if (!_options.Deploy && !_options.DeployOnHost)
        {
            var capabilities = new CapabilityProbe().Probe();
            return new DeploymentDecision(false, token, !capabilities.CanRunSchedulers
                ? "Report only: this host cannot run sched_ext schedulers (see `schedcp capabilities`); the token lets an operator deploy it on one that can."
                : "Report only: deployment is off (OptimizationLoopOptions.Deploy; CLI: optimize --deploy); the token is ready for an operator.");
        }

        if (_deployments is null)
        {
            return new DeploymentDecision(false, token, "Report only: deployment was asked for but no deployment service is registered (services.AddSchedCPControlPlane()); the token is ready for an operator.");
        }

        // The same path as every front end: token check, canary on the host (or the guest that plays it), rollback to the known-good.
        var candidate = new DeployableScheduler(best.Spec.PolicyName, best.ObjectPath, best.Scheduler.ExpectedOpsName ?? best.Spec.PolicyName) { Parameters = (best.Scheduler as Kernel.Schedulers.BpfObjectScheduler)?.Rodata ?? new Dictionary<string, string>() };
        var outcome = await _deployments.DeployAsync(new DeploymentRequest(candidate, token, "optimize") { TokenParameters = best.Spec.Parameters }, cancellationToken).ConfigureAwait(false);
        var promoted = "";
        if (outcome.Status == DeploymentStatus.Promoted && best.Spec.Source is not null && _promotion is not null)
        {
            // The Learning agent stored the new scheduler as a verified candidate; the canary's pass under the signed token is its receipt.
            var production = await _promotion.PromoteToProductionAsync(best.Spec.PolicyName, new Repository.DeploymentReceipt(token), cancellationToken).ConfigureAwait(false);
            promoted = production.Succeeded ? $" {best.Spec.PolicyName} promoted to production with its receipt." : $" Not promoted: {production.Failure!.Describe()}";
        }

        return new DeploymentDecision(outcome.Status == DeploymentStatus.Promoted, token, $"Deployment {outcome}{promoted}");
    }

    /// <summary>The failure of an execution that judged nothing: no candidate was built, or no session with EEVDF gave a run.</summary>
    internal static OptimizationFailure? NothingTrialled(ExecutionResult execution)
    {
        if (execution.Outcomes.Count > 0 && execution.Outcomes.All(o => o.Status == CandidateStatus.Rejected))
        {
            var notBuilt = execution.Outcomes.Any(o => o.Reason.Contains("SCHEDCP_BPF_DIR", StringComparison.Ordinal));
            return new OptimizationFailure(OptimizationFailureKind.NoCandidateBuilt,
                $"No candidate could be built: {string.Join("; ", execution.Outcomes.Select(o => $"{o.Spec.Label}: {o.Reason}").Distinct().Take(3))}",
                notBuilt
                    ? "Build the BPF schedulers (bpf/build.sh; ./build.sh test runs it), or set SCHEDCP_BPF_DIR to the folder of their .bpf.o files."
                    : "Check the candidates' reasons above; choose policies the repository has with parameters their schemas accept.");
        }

        if (execution.Rounds.Count > 0 && execution.Rounds.All(r => r.Session.Failure is not null))
        {
            var first = execution.Rounds[0].Session.Failure!;
            return new OptimizationFailure(OptimizationFailureKind.TrialsFailed,
                $"No candidate could be trialled against EEVDF: {first.Message}", first.Remedy);
        }

        return null;
    }

    private static bool Better(CandidateOutcome a, CandidateOutcome b, PrimaryKpi kpi) =>
        kpi.Direction == Kernel.Analysis.KpiDirection.LowerIsBetter ? a.Change!.Ratio < b.Change!.Ratio : a.Change!.Ratio > b.Change!.Ratio;

    private async Task Role(string runId, AgentContext ctx, IReadOnlyList<Claim> claims, Board board, CostLedger ledger, Func<Task> work)
    {
        var lease = (await ctx.ClaimAsync([Claim.Exclusive(Baton), .. claims]).ConfigureAwait(false)).GetValueOrThrow();
        try
        {
            if (board.Stop is not null)
            {
                _progress.StageChanged(runId, ctx.AgentId, OptimizationStageStatus.Skipped, "stopped: " + board.Stop);
                return;
            }

            // Only observation runs after a failure, and there is none before it: every later role has nothing to work on.
            if (board.Failure is { } failed)
            {
                _progress.StageChanged(runId, ctx.AgentId, OptimizationStageStatus.Skipped, failed.Message);
                return;
            }

            _progress.StageChanged(runId, ctx.AgentId, OptimizationStageStatus.Running, null);
            ledger.EnsureWithinBudget(ctx.AgentId);
            await work().ConfigureAwait(false);
            _progress.StageChanged(runId, ctx.AgentId, board.Failure is null ? OptimizationStageStatus.Done : OptimizationStageStatus.Failed,
                board.Failure?.Message ?? ctx.Memory.Get(ctx.AgentId).Summary);
        }
        catch (BudgetExhaustedException spent)
        {
            // A spent budget is an expected end of the run: the roles after this one do nothing and the result says why.
            board.Stop = spent.Stop;
            Remember(ctx, "stopped: " + spent.Stop, []);
            _progress.StageChanged(runId, ctx.AgentId, OptimizationStageStatus.Skipped, "stopped: " + spent.Stop);
        }
        catch (Exception e)
        {
            _progress.StageChanged(runId, ctx.AgentId, OptimizationStageStatus.Failed, e is OperationCanceledException ? "cancelled" : e.Message);
            throw;
        }
        finally
        {
            ctx.Release(lease);
            _progress.CostReported(runId, ledger.Report());
        }
    }

    private static async Task<string> WriteThroughRuntimeAsync(AgentContext ctx, string workspace, string relative, string text)
    {
        // Generated sources are work units too: written through the tool host, as a reviewable change.
        var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File(relative))]).ConfigureAwait(false)).GetValueOrThrow();
        try
        {
            ctx.WriteFile(relative, text, lease.FencingToken).GetValueOrThrow();
        }
        finally
        {
            ctx.Release(lease);
        }

        return Path.Combine(workspace, relative);
    }

    private static void Remember(AgentContext ctx, string summary, IReadOnlyList<NextStep> next)
    {
        ctx.Memory.UpdateSummary(ctx.AgentId, summary.Length > 500 ? summary[..500] : summary);
        ctx.Memory.SetNextSteps(ctx.AgentId, next);
    }

    private sealed class Board
    {
        public ObservationReport? Observation { get; set; }

        public List<OptimizationPlan> Plans { get; } = [];

        public List<ExecutionResult> Executions { get; } = [];

        public OptimizationFailure? Failure { get; set; }

        public List<CandidateOutcome> Unjudged { get; } = [];

        public List<string> Lessons { get; } = [];

        public CandidateOutcome? Best { get; set; }

        public MaterializedCandidate? BestCandidate { get; set; }

        public BudgetStop? Stop { get; set; }
    }
}
