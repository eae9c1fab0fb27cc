using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using SchedCP.Agents;
using SchedCP.ControlPlane.Deployment;
using SchedCP.ControlPlane.Verification;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Supervision;
using SchedCP.Mcp.Safety;
using SchedCP.Repository;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Mcp.Tools;

/// <summary>
/// Tools that start, stop, verify and deploy schedulers. Every argument is validated by the policy's typed schema before
/// a loader sees it; deploy needs a verifier-signed token, spent on first use; every mutation goes through the guard and the audit log.
/// Kernel work happens on this host when it has sched_ext, otherwise in a fresh sched_ext guest per call (<see cref="SchedExtHost"/>).
/// </summary>
[McpServerToolType]
public sealed class SchedulerTools(
    PolicyRepository repository,
    ISchedulerSupervisor supervisor,
    SchedExtHost host,
    ControlPlaneState state,
    ToolCallGuard guard,
    PolicyWorkbench workbench,
    TimeProvider time,
    DeploymentService deployments,
    DeploymentTokenIssuer? issuer = null)
{
    /// <summary>Starts a scheduler on this host, or runs it under a workload in a sched_ext guest.</summary>
    /// <param name="name">Policy name.</param>
    /// <param name="parameters">Typed parameter values.</param>
    /// <param name="seconds">In the sandbox: how long the stress workload runs while the scheduler is attached.</param>
    /// <param name="token">On a sched_ext host: the deployment token (attaching on a host is a deployment).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution.</returns>
    [McpServerTool(Name = "run_scheduler", Destructive = true, UseStructuredContent = true)]
    [Description("Starts a scheduler from the repository with validated parameters and returns an execution id. On a sched_ext host this is a deployment: it needs the deployment token from verify, runs as a canary and stays attached until stop_scheduler or rollback. Without sched_ext it runs in a sched_ext sandbox guest under a stress workload for `seconds`, needs no token, and the execution ends with the guest.")]
    public async Task<ExecutionStatus> RunSchedulerAsync(
        [Description("Policy name from list_schedulers.")] string name,
        [Description("Parameter values by name; see get_policy for types and ranges.")] Dictionary<string, string>? parameters = null,
        [Description("Sandbox only: seconds of stress workload while attached (1-30).")] int seconds = 3,
        [Description("sched_ext host only: the deployment token verify returned for this policy and parameters.")] string? token = null,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "run_scheduler";
        var policyName = ToolCallGuard.Name(Tool, "name", name);
        var values = ToolCallGuard.Parameters(Tool, parameters);
        var duration = ToolCallGuard.Range(Tool, "seconds", seconds, 1, 30);
        if (host.Resolve(Tool) == SchedulerTarget.Sandbox)
        {
            await ValidateAsync(Tool, policyName, values, cancellationToken).ConfigureAwait(false);
            guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["name"] = policyName, ["parameters"] = values });
            var trial = await RunInSandboxAsync(Tool, policyName, values, duration, cancellationToken).ConfigureAwait(false);
            state.Executions[trial.ExecutionId] = trial;
            return trial;
        }

        // Attaching on a real host is a deployment: the same token, canary and rollback as deploy.
        return await DeployThroughServiceAsync(Tool, policyName, token is null ? null : ToolCallGuard.Text(Tool, "token", token, 8192), values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the running scheduler.</summary>
    /// <param name="executionId">The execution to stop.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution's final status.</returns>
    [McpServerTool(Name = "stop_scheduler", Destructive = true, UseStructuredContent = true)]
    [Description("Stops the scheduler started by run_scheduler (SIGINT, then SIGKILL) and returns the kernel to its default scheduler.")]
    public async Task<ExecutionStatus> StopSchedulerAsync(
        [Description("The execution id run_scheduler returned.")] string executionId,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "stop_scheduler";
        var id = ToolCallGuard.Name(Tool, "executionId", executionId);
        if (!state.Executions.TryGetValue(id, out var current))
        {
            throw new McpException($"{Tool}: no execution '{id}'. Call get_execution_status without an id to list executions.");
        }

        if (current.State != "running")
        {
            // Nothing to stop: a sandbox run ended with its guest, a host run was stopped or failed already.
            return current with { Message = $"already {current.State}: {current.Message}" };
        }

        guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["executionId"] = id });
        host.Require(Tool);
        var outcome = await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
        var stopped = current with { State = outcome.Succeeded ? "stopped" : "failed", Message = outcome.Succeeded ? "stopped" : outcome.Failure!.Describe() };
        state.Executions[id] = stopped;
        return stopped;
    }

    /// <summary>Status of one execution or all.</summary>
    /// <param name="executionId">The id, or empty for all.</param>
    /// <param name="limit">How many executions to list.</param>
    /// <returns>The statuses.</returns>
    [McpServerTool(Name = "get_execution_status", ReadOnly = true, UseStructuredContent = true)]
    [Description("Returns the status of one scheduler execution, or the latest executions when no id is given.")]
    public ExecutionList GetExecutionStatus(
        [Description("The execution id; omit to list the latest.")] string? executionId = null,
        [Description("How many executions to list (1-50).")] int limit = 10)
    {
        const string Tool = "get_execution_status";
        guard.Limit(Tool, limit);
        if (!string.IsNullOrEmpty(executionId))
        {
            var id = ToolCallGuard.Name(Tool, "executionId", executionId);
            return state.Executions.TryGetValue(id, out var one)
                ? new ExecutionList(1, [one])
                : throw new McpException($"{Tool}: no execution '{id}'. Omit executionId to list executions.");
        }

        var all = state.Executions.Values.OrderByDescending(e => e.StartedAt).ToList();
        return new ExecutionList(all.Count, [.. all.Take(limit)]);
    }

    /// <summary>Compiles and verifies a new scheduler source and, when it passes, stores it as a candidate policy.</summary>
    /// <param name="name">The new policy's name.</param>
    /// <param name="source">The BPF C source.</param>
    /// <param name="description">What it is for.</param>
    /// <param name="stage">How far to verify: static, kernel or sandbox.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The verification result.</returns>
    [McpServerTool(Name = "create_and_verify_scheduler", UseStructuredContent = true)]
    [Description("Compiles a new sched_ext scheduler's BPF C source with clang and runs the verifier: 'static' (default) adds the managed checks for lost tasks, missing dispatch, undeclared DSQs and bad settings; 'kernel' also loads it through the kernel verifier and 'sandbox' also runs it under stress, both in a sched_ext guest. A source that passes is stored as a candidate policy (see get_policy); compiler errors come back with file and line.")]
    public async Task<VerificationResult> CreateAndVerifySchedulerAsync(
        [Description("Name for the new scheduler: a lower-case letter, then up to 63 lower-case letters, digits or '_'.")] string name,
        [Description("BPF C source of the scheduler (at most 64 KiB).")] string source,
        [Description("One line on what it is for.")] string description,
        [Description("Stage: static, kernel or sandbox.")] string stage = "static",
        CancellationToken cancellationToken = default)
    {
        const string Tool = "create_and_verify_scheduler";
        var policyName = ToolCallGuard.Name(Tool, "name", name);
        if (PolicyName.Validate(name, "scheduler") is { Succeeded: false } invalidName)
        {
            // The new policy's name becomes a file name and a repository key: the strict rule, untrimmed.
            throw new McpException($"{Tool}: {invalidName.Failure.Message}");
        }

        var code = ToolCallGuard.Text(Tool, "source", source, 64 * 1024);
        var what = ToolCallGuard.Text(Tool, "description", description, 500);
        var depth = Depth(ToolCallGuard.OneOf(Tool, "stage", stage, "static", "kernel", "sandbox"));
        guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["name"] = policyName, ["sourceLength"] = code.Length, ["stage"] = stage });
        if (code.Contains("bpf_probe_write_user", StringComparison.Ordinal))
        {
            return new VerificationResult(policyName, "source", false, ["bpf_probe_write_user writes user memory; schedulers must not use it. Remove the call."], null);
        }

        if ((await repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false)).Succeeded)
        {
            throw new McpException($"{Tool}: a policy named '{policyName}' exists already. Choose another name; list_schedulers shows the taken ones.");
        }

        SchedExtHost.RequireSandbox(Tool);
        var result = await workbench.VerifySourceAsync(policyName, code, what, depth, "mcp", cancellationToken).ConfigureAwait(false);
        var findings = Findings(result.Report);
        findings.Add(result.Stored is { } stored
            ? $"stored as {stored.Name} ({stored.Lifecycle}); verify(stage=kernel|sandbox) and deploy need it built, get_policy shows it"
            : result.StoreFailure is { } why ? $"passed but not stored: {why}" : "not stored: fix the findings above and submit again");
        return new VerificationResult(policyName, stage, result.Report.Passed, findings, null);
    }

    /// <summary>Verifies a policy and parameter set up to a stage.</summary>
    /// <param name="name">Policy.</param>
    /// <param name="stage">How far to go.</param>
    /// <param name="parameters">Parameter values.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stage results, and a deployment token when it passed at kernel or sandbox depth and the server signs.</returns>
    [McpServerTool(Name = "verify", ReadOnly = true, UseStructuredContent = true)]
    [Description("Verifies a policy with parameter values up to a stage: 'parameters' checks them against the typed schema; 'static' runs the managed checks on its BPF object; 'kernel' also loads it through the kernel verifier and 'sandbox' also runs it under stress, both in a sched_ext guest (a minute or two). A pass at kernel or sandbox depth returns a deployment token for this host when the server has a signing key.")]
    public async Task<VerificationResult> VerifyAsync(
        [Description("Policy name.")] string name,
        [Description("Stage: parameters, static, kernel or sandbox.")] string stage = "parameters",
        [Description("Parameter values by name.")] Dictionary<string, string>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "verify";
        var policyName = ToolCallGuard.Name(Tool, "name", name);
        var which = ToolCallGuard.OneOf(Tool, "stage", stage, "parameters", "static", "kernel", "sandbox");
        var values = ToolCallGuard.Parameters(Tool, parameters);
        var validated = await repository.ValidateParametersAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        if (!validated.Succeeded)
        {
            return new VerificationResult(policyName, "parameters", false, [validated.Failure!.Describe()], null);
        }

        if (which == "parameters")
        {
            return new VerificationResult(policyName, which, true, [$"arguments: {string.Join(' ', validated.Value!.Arguments)}", .. validated.Value.Rodata.Select(r => $"rodata {r.Variable} = {r.Value}")], null);
        }

        SchedExtHost.RequireSandbox(Tool);
        var outcome = await workbench.VerifyPolicyAsync(policyName, values, Depth(which), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            throw new McpException($"{Tool}: {outcome.Failure!.Describe()}");
        }

        var report = outcome.Value!;
        var token = report.Passed && which != "static" && issuer is not null && report.ObjectPath is not null ? issuer.Issue(report) : null;
        var findings = Findings(report);
        if (report.Passed && which != "static" && issuer is null)
        {
            findings.Add("passed; this server has no signing key (--signing-key), so no deployment token was issued");
        }

        return new VerificationResult(policyName, which, report.Passed, findings, token);
    }

    /// <summary>Deploys a verified policy with its token.</summary>
    /// <param name="name">Policy.</param>
    /// <param name="token">The deployment token.</param>
    /// <param name="parameters">The parameters the token was issued for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution.</returns>
    [McpServerTool(Name = "deploy", Destructive = true, UseStructuredContent = true)]
    [Description("Deploys a policy on this host as a canary. Requires a deployment token the verifier signed for this host, policy, parameters and object (verify at kernel or sandbox depth returns one when the server signs). The candidate is watched (sched_ext state, ops name, loader, KPI probe); one that passes becomes the known-good scheduler, one that trips is replaced by the last known-good scheduler or EEVDF. On a host without sched_ext a sched_ext guest plays the host and nothing stays attached here.")]
    public async Task<ExecutionStatus> DeployAsync(
        [Description("Policy name.")] string name,
        [Description("The deployment token from the verifier.")] string token,
        [Description("The parameter values the token was issued for.")] Dictionary<string, string>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "deploy";
        var policyName = ToolCallGuard.Name(Tool, "name", name);
        ToolCallGuard.Text(Tool, "token", token, 8192);
        var values = ToolCallGuard.Parameters(Tool, parameters);
        host.Resolve(Tool);
        return await DeployThroughServiceAsync(Tool, policyName, token, values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rolls the last deployment back to the known-good scheduler before it, or to the kernel default.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What runs now.</returns>
    [McpServerTool(Name = "rollback", Destructive = true, UseStructuredContent = true)]
    [Description("Rolls back the last deployment: it leaves the known-good history and the scheduler that passed its canary before it is restored, or the kernel's default scheduler (EEVDF) when there is none.")]
    public async Task<ExecutionStatus> RollbackAsync(CancellationToken cancellationToken = default)
    {
        const string Tool = "rollback";
        guard.AdmitMutation(Tool, new Dictionary<string, object?>());
        host.Resolve(Tool);
        var outcome = await deployments.RollbackAsync("mcp", cancellationToken).ConfigureAwait(false);
        return new ExecutionStatus("rollback", outcome.Policy, "rolled back", null, time.GetUtcNow(), $"{outcome.Reason} Now running: {outcome.Running}.", outcome.Where);
    }

    // One path for run_scheduler on a host and deploy: resolve what would run, then the control plane's token, canary and rollback.
    private async Task<ExecutionStatus> DeployThroughServiceAsync(string tool, string policyName, string? token, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var validated = await ValidateAsync(tool, policyName, values, cancellationToken).ConfigureAwait(false);
        var policy = (await repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
        var artifact = await workbench.ArtifactPathAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        if (!artifact.Succeeded)
        {
            throw guard.RefuseMutation(tool, new Dictionary<string, object?> { ["name"] = policyName }, "no built object",
                $"refused: {artifact.Failure!.Describe()} Deployments run a policy's built BPF object; build it (verify at kernel depth) or pick one from list_schedulers.");
        }

        var candidate = new DeployableScheduler(policyName, artifact.Value, policy.OpsName ?? policyName) { Parameters = validated.Rodata.ToDictionary(r => r.Variable, r => r.Value) };
        var request = new DeploymentRequest(candidate, token, "mcp") { TokenParameters = validated.Values };
        var outcome = await deployments.DeployAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == DeploymentStatus.Refused)
        {
            // Audited as refused, never as admitted.
            throw guard.RefuseMutation(tool, new Dictionary<string, object?> { ["name"] = policyName, ["parameters"] = values },
                outcome.TokenRefusal == TokenRefusal.None ? "refused" : $"token {outcome.TokenRefusal}",
                outcome.TokenRefusal == TokenRefusal.None ? $"refused: {outcome.Reason} {outcome.Remedy}" : $"token refused ({outcome.TokenRefusal}): {outcome.Reason} {outcome.Remedy}");
        }

        guard.AdmitMutation(tool, new Dictionary<string, object?> { ["name"] = policyName, ["parameters"] = values, ["tokenId"] = outcome.TokenId });
        var status = new ExecutionStatus(NewId(), policyName, outcome.Status switch
        {
            DeploymentStatus.Promoted => outcome.Where == "host" ? "running" : "completed",
            DeploymentStatus.RolledBack => "rolled back",
            _ => "failed",
        }, null, time.GetUtcNow(), $"{outcome.Reason} {outcome.Remedy} Now running: {outcome.Running}.".Replace("  ", " ", StringComparison.Ordinal), outcome.Where);
        state.Executions[status.ExecutionId] = status;
        return status;
    }

    private async Task<ExecutionStatus> RunInSandboxAsync(string tool, string policyName, IReadOnlyDictionary<string, string> values, int seconds, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var outcome = await workbench.RunInSandboxAsync(policyName, values, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            throw new McpException($"{tool}: {outcome.Failure!.Describe()}");
        }

        var trial = outcome.Value!;
        return new ExecutionStatus(NewId(), policyName, trial.Succeeded ? "completed" : "failed", null, started, trial.Summary, "sandbox");
    }

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];

    private static VerificationDepth Depth(string stage) => stage switch
    {
        "kernel" => VerificationDepth.Kernel,
        "sandbox" => VerificationDepth.Sandbox,
        _ => VerificationDepth.Static,
    };

    // Short enough to read, enough to act on: ten findings a stage at most.
    private static List<string> Findings(SchedCP.Verifier.Pipeline.VerificationReport report) => [.. report.Lines(10)];

    private async Task<ValidatedParameters> ValidateAsync(string tool, string policy, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var outcome = await repository.ValidateParametersAsync(policy, values, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded ? outcome.Value! : throw new McpException($"{tool}: {outcome.Failure!.Describe()} Call get_policy('{policy}') for the parameter types and ranges.");
    }
}

/// <summary>Executions.</summary>
/// <param name="Total">How many are known.</param>
/// <param name="Items">The returned ones.</param>
public sealed record ExecutionList(int Total, IReadOnlyList<ExecutionStatus> Items);

/// <summary>The result of one verification stage.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Stage">The stage.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Findings">What it found, a line each.</param>
/// <param name="Token">A deployment token for this host, policy and parameters, when it passed at kernel or sandbox depth and the server signs.</param>
public sealed record VerificationResult(string Policy, string Stage, bool Passed, IReadOnlyList<string> Findings, string? Token);
