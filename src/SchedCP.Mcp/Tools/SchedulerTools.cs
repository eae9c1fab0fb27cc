using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Supervision;
using SchedCP.Mcp.Safety;
using SchedCP.Repository;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Mcp.Tools;

/// <summary>
/// Tools that start, stop, verify and deploy schedulers. Every argument is validated by the policy's typed schema before
/// a loader sees it; deploy needs a verifier-signed token; every mutation goes through the guard and the audit log.
/// </summary>
[McpServerToolType]
public sealed class SchedulerTools(
    PolicyRepository repository,
    ISchedulerSupervisor supervisor,
    SchedExtHost host,
    ControlPlaneState state,
    ToolCallGuard guard,
    DeploymentTokenValidator tokens,
    TimeProvider time)
{
    /// <summary>Starts a scheduler on this host.</summary>
    /// <param name="name">Policy name.</param>
    /// <param name="parameters">Typed parameter values.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution.</returns>
    [McpServerTool(Name = "run_scheduler", Destructive = true, UseStructuredContent = true)]
    [Description("Starts a scheduler from the repository on this host with validated parameters and returns an execution id. Needs a sched_ext host.")]
    public async Task<ExecutionStatus> RunSchedulerAsync(
        [Description("Policy name from list_schedulers.")] string name,
        [Description("Parameter values by name; see get_policy for types and ranges.")] Dictionary<string, string>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "run_scheduler";
        var policyName = ToolCallGuard.Name(Tool, "name", name);
        var values = ToolCallGuard.Parameters(Tool, parameters);
        var validated = await ValidateAsync(Tool, policyName, values, cancellationToken).ConfigureAwait(false);
        guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["name"] = policyName, ["parameters"] = values });
        host.Require(Tool);
        var policy = (await repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
        SchedulerUnderTest launch = policy.BuiltObject?.RelativePath is { } obj
            ? new BpfObjectScheduler(obj) { Rodata = validated.Rodata.ToDictionary(r => r.Variable, r => r.Value), ExpectedOpsName = policy.OpsName }
            : new ScxBinaryScheduler(policy.Name) { Arguments = validated.Arguments, ExpectedOpsName = policy.OpsName };
        var outcome = await supervisor.StartAsync(launch, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString("N")[..12];
        var status = outcome.Succeeded
            ? new ExecutionStatus(id, policyName, "running", outcome.Value!.ProcessId, outcome.Value.StartedAt, $"attached as {outcome.Value.OpsName}")
            : new ExecutionStatus(id, policyName, "failed", null, time.GetUtcNow(), $"{outcome.Failure!.Message} {outcome.Failure.Remedy}");
        state.Executions[id] = status;
        return status;
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

        guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["executionId"] = id });
        host.Require(Tool);
        var outcome = await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
        var stopped = current with { State = outcome.Succeeded ? "stopped" : "failed", Message = outcome.Succeeded ? "stopped" : outcome.Failure!.Message };
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

    /// <summary>Registers a new scheduler source as a candidate and runs the verifier's first stage.</summary>
    /// <param name="name">The new policy's name.</param>
    /// <param name="source">The BPF C source.</param>
    /// <param name="description">What it is for.</param>
    /// <returns>The verification result.</returns>
    [McpServerTool(Name = "create_and_verify_scheduler", UseStructuredContent = true)]
    [Description("Checks a new sched_ext scheduler's C source (size, struct_ops declaration, no unsafe helpers) and reports what the next verifier stages need. Nothing runs on this host.")]
    public VerificationResult CreateAndVerifyScheduler(
        [Description("Name for the new scheduler.")] string name,
        [Description("BPF C source of the scheduler (at most 64 KiB).")] string source,
        [Description("One line on what it is for.")] string description)
    {
        const string Tool = "create_and_verify_scheduler";
        var policyName = ToolCallGuard.Name(Tool, "name", name);
        var code = ToolCallGuard.Text(Tool, "source", source, 64 * 1024);
        ToolCallGuard.Text(Tool, "description", description, 500);
        guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["name"] = policyName, ["sourceLength"] = code.Length });
        var problems = new List<string>();
        if (!code.Contains("SEC(\".struct_ops", StringComparison.Ordinal))
        {
            problems.Add("no SEC(\".struct_ops\") / SEC(\".struct_ops.link\") map declares the sched_ext_ops; add one");
        }

        if (code.Contains("bpf_probe_write_user", StringComparison.Ordinal))
        {
            problems.Add("bpf_probe_write_user writes user memory; schedulers must not use it");
        }

        return new VerificationResult(policyName, "source", problems.Count == 0, problems.Count == 0
            ? ["source accepted; next stages: compile (clang), kernel verifier and sandbox run via verify(stage=sandbox) on a machine with the sandbox toolchain"]
            : problems);
    }

    /// <summary>Runs one verification stage for a policy and parameter set.</summary>
    /// <param name="name">Policy.</param>
    /// <param name="stage">Which stage.</param>
    /// <param name="parameters">Parameter values.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stage result.</returns>
    [McpServerTool(Name = "verify", ReadOnly = true, UseStructuredContent = true)]
    [Description("Runs one verification stage: 'parameters' checks values against the policy's typed schema; 'kernel' needs a sched_ext host.")]
    public async Task<VerificationResult> VerifyAsync(
        [Description("Policy name.")] string name,
        [Description("Stage: parameters or kernel.")] string stage = "parameters",
        [Description("Parameter values by name.")] Dictionary<string, string>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        const string Tool = "verify";
        var policyName = ToolCallGuard.Name(Tool, "name", name);
        var which = ToolCallGuard.OneOf(Tool, "stage", stage, "parameters", "kernel");
        var values = ToolCallGuard.Parameters(Tool, parameters);
        if (which == "kernel")
        {
            host.Require(Tool);
        }

        var outcome = await repository.ValidateParametersAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded
            ? new VerificationResult(policyName, which, true, [$"arguments: {string.Join(' ', outcome.Value!.Arguments)}"])
            : new VerificationResult(policyName, which, false, [outcome.Error!.Reason]);
    }

    /// <summary>Deploys a verified policy with its token.</summary>
    /// <param name="name">Policy.</param>
    /// <param name="token">The deployment token.</param>
    /// <param name="parameters">The parameters the token was issued for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution.</returns>
    [McpServerTool(Name = "deploy", Destructive = true, UseStructuredContent = true)]
    [Description("Deploys a policy on this host. Requires a deployment token the verifier signed for this host, policy and parameters.")]
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
        var check = tokens.Validate(token, policyName, parameters: values);
        if (!check.IsValid)
        {
            guard.AdmitMutation(Tool, new Dictionary<string, object?> { ["name"] = policyName, ["refused"] = check.Refusal.ToString() });
            throw new McpException($"{Tool}: token refused ({check.Refusal}): {check.Reason} {check.Remedy}");
        }

        var status = await RunSchedulerAsync(policyName, parameters, cancellationToken).ConfigureAwait(false);
        if (status.State == "running")
        {
            state.Deployments.Push(policyName);
        }

        return status;
    }

    /// <summary>Returns to the previous deployment, or to the kernel default.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What runs now.</returns>
    [McpServerTool(Name = "rollback", Destructive = true, UseStructuredContent = true)]
    [Description("Stops the deployed scheduler and returns the host to the kernel's default scheduler (EEVDF).")]
    public async Task<ExecutionStatus> RollbackAsync(CancellationToken cancellationToken = default)
    {
        const string Tool = "rollback";
        guard.AdmitMutation(Tool, new Dictionary<string, object?>());
        host.Require(Tool);
        state.Deployments.TryPop(out var previous);
        var outcome = await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
        return new ExecutionStatus("rollback", previous ?? RunRecord.BaselinePolicyName, outcome.Succeeded ? "stopped" : "failed", null, time.GetUtcNow(),
            outcome.Succeeded ? "back on the kernel default scheduler" : $"{outcome.Failure!.Message} {outcome.Failure.Remedy}");
    }

    private async Task<ValidatedParameters> ValidateAsync(string tool, string policy, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var outcome = await repository.ValidateParametersAsync(policy, values, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded ? outcome.Value! : throw new McpException($"{tool}: {outcome.Error!.Reason} Call get_policy('{policy}') for the parameter types and ranges.");
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
public sealed record VerificationResult(string Policy, string Stage, bool Passed, IReadOnlyList<string> Findings);
