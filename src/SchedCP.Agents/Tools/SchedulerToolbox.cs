using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SchedCP.ControlPlane.Scheduling;
using SchedCP.ControlPlane.Verification;
using SchedCP.Core.Diffs;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>
/// The control plane as tools: read and search the repository, compose a scheduler from primitives, verify a source
/// stage by stage, submit a patch against a policy's source, run a trial in the sandbox, compare with EEVDF, record and
/// read feedback. <see cref="Functions"/> turns them into <see cref="AIFunction"/>s; the agents give each role its own
/// subset and the MCP server exposes the same functions, so the two surfaces cannot drift. Arguments are checked here,
/// once: a refused argument is a <see cref="ToolArgumentException"/> that names it and says what to do.
/// </summary>
public sealed class SchedulerToolbox
{
    /// <summary>Tool names, as both the model and an MCP client see them.</summary>
    public static class Names
    {
        /// <summary>Searches the repository.</summary>
        public const string SearchPolicies = "search_policies";

        /// <summary>One policy's details, with its source on request.</summary>
        public const string GetPolicy = "get_policy";

        /// <summary>The code primitives.</summary>
        public const string ListPrimitives = "list_primitives";

        /// <summary>Composes a scheduler from primitives and verifies it.</summary>
        public const string ComposeScheduler = "compose_scheduler";

        /// <summary>Compiles and verifies a source by stage.</summary>
        public const string VerifySource = "verify_source";

        /// <summary>Applies a unified diff to a policy's source and verifies it.</summary>
        public const string SubmitPatch = "submit_patch";

        /// <summary>Runs a policy in a sched_ext guest.</summary>
        public const string RunTrial = "run_trial";

        /// <summary>Measures a policy side by side with EEVDF.</summary>
        public const string CompareWithEevdf = "compare_with_eevdf";

        /// <summary>Records a measurement.</summary>
        public const string RecordFeedback = "record_feedback";

        /// <summary>Ranks a workload's history.</summary>
        public const string GetFeedback = "get_feedback";
    }

    /// <summary>Tools that change the repository or boot a guest: the MCP server audits them and refuses them when read-only.</summary>
    public static IReadOnlySet<string> SideEffecting { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Names.ComposeScheduler, Names.VerifySource, Names.SubmitPatch, Names.RunTrial, Names.CompareWithEevdf, Names.RecordFeedback,
    };

    private static readonly Dictionary<ToolRole, string[]> RoleTools = new()
    {
        [ToolRole.Planning] = [Names.SearchPolicies, Names.GetPolicy, Names.GetFeedback, Names.ListPrimitives, Names.ComposeScheduler, Names.VerifySource, Names.SubmitPatch],
        [ToolRole.Execution] = [Names.GetPolicy, Names.VerifySource, Names.SubmitPatch, Names.RunTrial, Names.CompareWithEevdf],
        [ToolRole.Learning] = [Names.GetFeedback, Names.RecordFeedback],
    };

    private readonly PolicyRepository _repository;
    private readonly PolicyWorkbench _workbench;
    private readonly WorkloadRunner _workloads;
    private readonly ISandboxRunner _sandbox;
    private readonly SchedulerComposer _composer;
    private readonly TimeProvider _time;
    private readonly ExecutionOptions _options;

    /// <summary>Creates the toolbox.</summary>
    /// <param name="repository">Policies, schemas, history.</param>
    /// <param name="workbench">Verification and trials.</param>
    /// <param name="workloads">Runs benchmark workloads in the sandbox.</param>
    /// <param name="sandbox">The sandbox.</param>
    /// <param name="composer">Composes schedulers from primitives (default: the built-in catalog's).</param>
    /// <param name="timeProvider">Clock for recorded runs.</param>
    /// <param name="options">Where sources are read from.</param>
    public SchedulerToolbox(PolicyRepository repository, PolicyWorkbench workbench, WorkloadRunner workloads, ISandboxRunner sandbox, SchedulerComposer? composer = null, TimeProvider? timeProvider = null, IOptions<ExecutionOptions>? options = null)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _workbench = workbench ?? throw new ArgumentNullException(nameof(workbench));
        _workloads = workloads ?? throw new ArgumentNullException(nameof(workloads));
        _sandbox = sandbox ?? throw new ArgumentNullException(nameof(sandbox));
        _composer = composer ?? new SchedulerComposer();
        _time = timeProvider ?? TimeProvider.System;
        _options = options?.Value ?? new ExecutionOptions();
        Origin = _options.ToolOrigin;
    }

    /// <summary>Who submitted sources through these tools, stored as provenance (default <see cref="ExecutionOptions.ToolOrigin"/>).</summary>
    public string Origin { get; init; }

    /// <summary>The tools of <paramref name="role"/> as functions a model (or an MCP server) can call.</summary>
    /// <param name="role">The role.</param>
    public IReadOnlyList<AIFunction> Functions(ToolRole role)
    {
        var names = role == ToolRole.All ? typeof(Names).GetFields().Select(f => (string)f.GetValue(null)!).ToArray() : RoleTools[role];
        return [.. names.Select(Function)];
    }

    /// <summary>One tool as a function, by its name in <see cref="Names"/>.</summary>
    /// <param name="name">The tool's name.</param>
    public AIFunction Function(string name)
    {
        var method = typeof(SchedulerToolbox).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .SingleOrDefault(m => m.GetCustomAttribute<ToolNameAttribute>()?.Name == name)
            ?? throw new ArgumentException($"No tool is named '{name}'.", nameof(name));
        return AIFunctionFactory.Create(method, this, new AIFunctionFactoryOptions { Name = name });
    }

    /// <summary>Searches the repository by a workload or goal description.</summary>
    /// <param name="query">The description.</param>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.SearchPolicies)]
    [Description("Searches the policy repository by a workload or goal description; returns ranked one-line summaries. Call get_policy for one policy's details.")]
    public async Task<IReadOnlyList<string>> SearchPoliciesAsync(
        [Description("What the workload is or what to optimise, e.g. 'latency sensitive web server'.")] string query,
        [Description("How many results (1-20).")] int limit = 5,
        CancellationToken cancellationToken = default)
    {
        var text = Text("query", query, 500);
        var found = await _repository.SearchAsync(new PolicySearchQuery(text) { Limit = Range("limit", limit, 1, 20) }, cancellationToken).ConfigureAwait(false);
        return [.. found.Select(f => f.ToString())];
    }

    /// <summary>One policy's details.</summary>
    /// <param name="name">The policy.</param>
    /// <param name="includeSource">Whether to return the BPF C source.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.GetPolicy)]
    [Description("Returns one policy's description, algorithm, typed parameters and limitations; with includeSource=true also its BPF C source, which submit_patch diffs against.")]
    public async Task<PolicyDescription> GetPolicyAsync(
        [Description("The policy name from search_policies.")] string name,
        [Description("Include the BPF C source (large).")] bool includeSource = false,
        CancellationToken cancellationToken = default)
    {
        var policy = await PolicyAsync("name", name, cancellationToken).ConfigureAwait(false);
        return new PolicyDescription(policy.Name, policy.Kind.ToString(), policy.Lifecycle.ToString(), policy.Description, policy.Algorithm,
            [.. policy.Parameters.Select(p => new ParameterDescription(p.Name, p.Type.ToString(), p.Minimum, p.Maximum, p.Description))],
            [.. policy.Presets.Select(m => m.Mode.ToString())],
            policy.Limitations,
            includeSource ? PolicySchedulers.ReadSource(policy, _options.SourceDirectory, _options.BpfObjectDirectory) : null);
    }

    /// <summary>The code primitives a scheduler can be composed from.</summary>
    [ToolName(Names.ListPrimitives)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "A tool, bound to the toolbox like the others.")]
    [Description("Lists the code primitives compose_scheduler takes, one per category (dsqTopology, ordering, idleCpuSelection, slicePolicy).")]
    public PrimitiveList ListPrimitives() =>
        new([.. BuiltInCatalog.Catalog.Primitives.Where(SchedulerComposer.IsComposable)
            .Select(p => new PrimitiveDescription(p.Name, p.Category.ToString(), p.Description, [.. p.Parameters.Select(s => s.Name)]))]);

    /// <summary>Composes a scheduler from primitives, verifies it and, when it passes, stores it.</summary>
    /// <param name="name">The new policy's name.</param>
    /// <param name="primitives">One primitive per category.</param>
    /// <param name="depth">How far to verify.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.ComposeScheduler)]
    [Description("Writes a new scheduler from code primitives (one per category, see list_primitives), compiles and verifies it to 'depth', and stores it as a candidate policy when it passes.")]
    public async Task<CompositionResult> ComposeSchedulerAsync(
        [Description("The new policy's name: lower-case letters, digits and '_', e.g. gen_ljf_percpu.")] string name,
        [Description("Primitive names, one per category.")] string[] primitives,
        [Description("static (compile + static checks), kernel (also the kernel's verifier in a guest) or sandbox (also a run under load).")] string depth = "static",
        CancellationToken cancellationToken = default)
    {
        var policyName = PolicyNameArgument("name", name);
        if (primitives is not { Length: > 0 and <= 8 })
        {
            throw new ToolArgumentException("'primitives' must name one primitive per category (4 names); call list_primitives.");
        }

        var composed = _composer.Compose("schedcp_" + policyName, primitives);
        if (!composed.Succeeded)
        {
            throw new ToolArgumentException($"compose_scheduler: {composed.Failure!.Describe()}");
        }

        var verification = await _workbench.VerifySourceAsync(policyName, composed.Value!.Source,
            $"Composed from {string.Join(", ", composed.Value.Primitives.Select(p => p.Name))}.", Depth(depth), Origin, cancellationToken).ConfigureAwait(false);
        return new CompositionResult([.. composed.Value.Primitives.Select(p => p.Name)], [.. composed.Value.Parameters.Select(p => p.Rodata ?? p.Name)],
            composed.Value.Source, SourceCheck.From(policyName, verification));
    }

    /// <summary>Compiles and verifies a BPF C source; stores it when every stage passes.</summary>
    /// <param name="name">The new policy's name.</param>
    /// <param name="source">The source.</param>
    /// <param name="depth">How far to verify.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.VerifySource)]
    [Description("Compiles a complete sched_ext BPF C source and runs the verifier's stages up to 'depth'; returns each stage's result, the failed stage's findings and the tail of its log (the kernel verifier's log), and stores the source as a candidate when it passes.")]
    public async Task<SourceCheck> VerifySourceAsync(
        [Description("The new policy's name: lower-case letters, digits and '_'.")] string name,
        [Description("The complete BPF C source.")] string source,
        [Description("static, kernel or sandbox.")] string depth = "static",
        CancellationToken cancellationToken = default)
    {
        var policyName = PolicyNameArgument("name", name);
        var text = Text("source", source, 200_000);
        var verification = await _workbench.VerifySourceAsync(policyName, text, "Submitted as a source.", Depth(depth), Origin, cancellationToken).ConfigureAwait(false);
        return SourceCheck.From(policyName, verification);
    }

    /// <summary>Applies a unified diff to a policy's source, verifies it and stores it with its parent and the diff.</summary>
    /// <param name="parent">The policy the diff is against.</param>
    /// <param name="diff">The unified diff.</param>
    /// <param name="name">The revised policy's name.</param>
    /// <param name="depth">How far to verify.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.SubmitPatch)]
    [Description("Revises an existing scheduler: applies a unified diff (diff -u) to the policy's source from get_policy(includeSource=true), compiles and verifies the result to 'depth', and stores it with its parent and the diff when it passes.")]
    public async Task<PatchResult> SubmitPatchAsync(
        [Description("The policy whose source the diff is against, e.g. vtime.")] string parent,
        [Description("The unified diff, with @@ hunks and enough context lines.")] string diff,
        [Description("The revised policy's name: lower-case letters, digits and '_', e.g. vtime_short_lag.")] string name,
        [Description("static, kernel or sandbox.")] string depth = "static",
        CancellationToken cancellationToken = default)
    {
        var parentName = PolicyNameArgument("parent", parent);
        var policyName = PolicyNameArgument("name", name);
        var patch = Text("diff", diff, UnifiedDiff.MaxLength);
        var revision = await _workbench.ReviseAsync(policyName, parentName, patch, Depth(depth), Origin, cancellationToken).ConfigureAwait(false);
        if (!revision.Succeeded)
        {
            throw new ToolArgumentException($"submit_patch: {revision.Failure!.Describe()}");
        }

        return new PatchResult(parentName, UnifiedDiff.Describe(patch), SourceCheck.From(policyName, revision.Value!.Verification), revision.Value.PatchPath);
    }

    /// <summary>Runs a policy in a sched_ext guest under a stress workload.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="parameters">Its parameter values.</param>
    /// <param name="seconds">How long the workload runs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.RunTrial)]
    [Description("Runs a repository policy (catalog, composed or revised) in a fresh sched_ext guest under a CPU stress workload: attach, run, detach. Says whether it stayed healthy.")]
    public async Task<TrialResult> RunTrialAsync(
        [Description("The policy name.")] string policy,
        [Description("Parameter values by name (strings, durations in ns).")] Dictionary<string, string>? parameters = null,
        [Description("Seconds of stress workload while attached (1-30).")] int seconds = 3,
        CancellationToken cancellationToken = default)
    {
        var name = PolicyNameArgument("policy", policy);
        var trial = await _workbench.RunInSandboxAsync(name, Parameters(parameters), TimeSpan.FromSeconds(Range("seconds", seconds, 1, 30)), cancellationToken).ConfigureAwait(false);
        return trial.Succeeded
            ? new TrialResult(name, trial.Value!.Succeeded, trial.Value.OpsName, trial.Value.Summary)
            : throw new ToolArgumentException($"run_trial: {trial.Failure!.Describe()}");
    }

    /// <summary>Measures a policy side by side with EEVDF on a benchmark workload in one guest.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="workload">The benchmark workload.</param>
    /// <param name="parameters">Its parameter values.</param>
    /// <param name="metric">The KPI.</param>
    /// <param name="repeats">Repeats per arm.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.CompareWithEevdf)]
    [Description("Measures a policy side by side with EEVDF in one sched_ext guest on a benchmark workload (longtail, wakeup or buildlike), repeats interleaved, and says Better, Worse or Equal by the project's rule.")]
    public async Task<ComparisonResult> CompareWithEevdfAsync(
        [Description("The policy name.")] string policy,
        [Description("longtail, wakeup or buildlike.")] string workload,
        [Description("Parameter values by name.")] Dictionary<string, string>? parameters = null,
        [Description("makespan_ms (batch) or p99_us (latency).")] string metric = "makespan_ms",
        [Description("Repeats per arm (1-10).")] int repeats = 3,
        CancellationToken cancellationToken = default)
    {
        var name = PolicyNameArgument("policy", policy);
        var bench = workload?.Trim().ToLowerInvariant() switch
        {
            "longtail" => BenchmarkWorkload.LongTail(),
            "wakeup" => BenchmarkWorkload.Wakeup(),
            "buildlike" => BenchmarkWorkload.BuildLike(),
            _ => throw new ToolArgumentException($"'workload' must be longtail, wakeup or buildlike (got '{workload}')."),
        };
        var kpi = metric switch
        {
            "makespan_ms" => KpiDirection.LowerIsBetter,
            "p99_us" => KpiDirection.LowerIsBetter,
            _ => throw new ToolArgumentException($"'metric' must be makespan_ms or p99_us (got '{metric}')."),
        };
        var built = await _workbench.SchedulerAsync(name, Parameters(parameters), cancellationToken).ConfigureAwait(false);
        if (!built.Succeeded)
        {
            throw new ToolArgumentException($"compare_with_eevdf: {built.Failure!.Describe()}");
        }

        var session = await _workloads.RunSideBySideInSandboxAsync(_sandbox, [bench], Range("repeats", repeats, 1, 10), [built.Value!], _options.SessionTimeout, cancellationToken).ConfigureAwait(false);
        if (session.Failure is { } failure)
        {
            return new ComparisonResult(name, bench.Name, metric, "Failed", 0, $"{failure.Message} {failure.Remedy}");
        }

        var arm = session.Candidates[0];
        var baseline = session.Baseline!.Values(bench.Name, metric);
        var values = arm.Values(bench.Name, metric);
        if (!arm.Healthy || values.Count == 0 || baseline.Count == 0)
        {
            return new ComparisonResult(name, bench.Name, metric, "Unhealthy", 0, arm.Problem ?? $"no {metric} measured");
        }

        var change = DeploymentFeedback.Compare(metric, kpi, baseline, values);
        return new ComparisonResult(name, bench.Name, metric, change.Verdict.ToString(), change.Ratio, string.Create(CultureInfo.InvariantCulture,
            $"{metric} {change.Current.Mean:G4}±{change.Current.StdDev:G3} vs EEVDF {change.Baseline.Mean:G4}±{change.Baseline.StdDev:G3} (x{change.Ratio:F3}, {change.Verdict}: {change.Rule})"));
    }

    /// <summary>Records one measurement of a policy (or of EEVDF) on a workload.</summary>
    /// <param name="fingerprint">The workload.</param>
    /// <param name="policy">The policy, or <c>eevdf</c>.</param>
    /// <param name="makespanSeconds">The measured makespan.</param>
    /// <param name="parameters">Its parameter values.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.RecordFeedback)]
    [Description("Records one measured makespan of a policy (or of 'eevdf', the baseline) on a workload fingerprint, for the history get_feedback ranks.")]
    public async Task<FeedbackRankings> RecordFeedbackAsync(
        [Description("The workload fingerprint.")] string fingerprint,
        [Description("The policy that ran, or eevdf.")] string policy,
        [Description("The measured makespan in seconds.")] double makespanSeconds,
        [Description("Its parameter values.")] Dictionary<string, string>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        var key = Text("fingerprint", fingerprint, 128);
        var name = policy == RunRecord.BaselinePolicyName ? policy : PolicyNameArgument("policy", policy);
        if (makespanSeconds is not (> 0 and < 1e6))
        {
            throw new ToolArgumentException($"'makespanSeconds' must be between 0 and 1e6 (got {makespanSeconds}).");
        }

        var now = _time.GetUtcNow();
        var run = new RunRecord(Guid.NewGuid().ToString("N"), key, name, Parameters(parameters), "tools-" + now.ToString("yyyyMMdd", CultureInfo.InvariantCulture), 0,
            name == RunRecord.BaselinePolicyName, new RunMetrics(MakespanSeconds: makespanSeconds), now);
        var added = await _repository.RecordRunsAsync([run], cancellationToken).ConfigureAwait(false);
        if (!added.Succeeded)
        {
            throw new ToolArgumentException($"record_feedback: {added.Failure!.Describe()}");
        }

        return await GetFeedbackAsync(key, 5, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ranks the policies measured on a workload against its EEVDF baseline.</summary>
    /// <param name="fingerprint">The workload.</param>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [ToolName(Names.GetFeedback)]
    [Description("Ranks the policies measured on a workload fingerprint against its EEVDF baseline (best first, with confidence intervals).")]
    public async Task<FeedbackRankings> GetFeedbackAsync(
        [Description("The workload fingerprint.")] string fingerprint,
        [Description("How many rankings (1-20).")] int limit = 5,
        CancellationToken cancellationToken = default)
    {
        var key = Text("fingerprint", fingerprint, 128);
        var ranked = await _repository.RankAsync(key, RankingMetric.Makespan, cancellationToken).ConfigureAwait(false);
        return new FeedbackRankings(key, ranked.Succeeded ? [.. ranked.Value!.Take(Range("limit", limit, 1, 20)).Select(r => r.ToString())] : []);
    }

    private async Task<SchedulerPolicy> PolicyAsync(string argument, string? name, CancellationToken cancellationToken)
    {
        var policyName = PolicyNameArgument(argument, name);
        var found = await _repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        return found.Succeeded ? found.Value! : throw new ToolArgumentException($"'{argument}': {found.Failure!.Describe()} Call search_policies for a policy name.");
    }

    private static string PolicyNameArgument(string argument, string? value)
    {
        var trimmed = value?.Trim() ?? "";
        return PolicyName.Validate(trimmed) is { Succeeded: false } invalid
            ? throw new ToolArgumentException($"'{argument}': {invalid.Failure!.Describe()}")
            : trimmed;
    }

    private static string Text(string argument, string? value, int maxLength) =>
        string.IsNullOrWhiteSpace(value) || value.Length > maxLength
            ? throw new ToolArgumentException($"'{argument}' must be non-empty text of at most {maxLength} characters (got {value?.Length ?? 0}).")
            : value;

    private static int Range(string argument, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new ToolArgumentException($"'{argument}' must be between {min} and {max} (got {value}).");

    private static VerificationDepth Depth(string? depth) => depth?.Trim().ToLowerInvariant() switch
    {
        null or "" or "static" => VerificationDepth.Static,
        "kernel" => VerificationDepth.Kernel,
        "sandbox" => VerificationDepth.Sandbox,
        _ => throw new ToolArgumentException($"'depth' must be static, kernel or sandbox (got '{depth}')."),
    };

    private static Dictionary<string, string> Parameters(Dictionary<string, string>? parameters)
    {
        if (parameters is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (parameters.Count > 32 || parameters.Any(p => p.Key.Length is 0 or > 64 || p.Value is null || p.Value.Length > 128 || p.Value.Any(char.IsControl)))
        {
            throw new ToolArgumentException("'parameters' takes at most 32 names of up to 64 characters with printable values of up to 128; call get_policy for the policy's parameters.");
        }

        return new Dictionary<string, string>(parameters, StringComparer.Ordinal);
    }

    /// <summary>The name a toolbox method is exposed under.</summary>
    /// <param name="name">The tool name.</param>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class ToolNameAttribute(string name) : Attribute
    {
        public string Name { get; } = name;
    }
}
