using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SchedCP.ControlPlane.Promotion;
using SchedCP.ControlPlane.Scheduling;
using SchedCP.Core.Diffs;
using SchedCP.Core.Results;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Trials;
using SchedCP.Repository;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Dynamic;
using SchedCP.Verifier.KernelVerifier;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.ControlPlane.Verification;

/// <summary>How far a policy or a new source goes through the verifier.</summary>
public enum VerificationDepth
{
    /// <summary>Compile (for source) and the managed static checks: no kernel, seconds.</summary>
    Static,

    /// <summary>Also the kernel's own verifier: the object is loaded, not attached, in a sched_ext guest.</summary>
    Kernel,

    /// <summary>Also the dynamic run: attached under a stress workload in a sched_ext guest, then detached.</summary>
    Sandbox,
}

/// <summary>A scheduler's run in a sched_ext guest, as a caller outside the loop sees it.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Succeeded">Whether it attached, ran the workload and detached cleanly.</param>
/// <param name="OpsName">The ops name the kernel reported while it was attached.</param>
/// <param name="Summary">One line: what happened, or what failed and what to do.</param>
/// <param name="Trial">The whole trial, with loader events, snapshots and the guest's output.</param>
public sealed record PolicyTrial(string Policy, bool Succeeded, string? OpsName, string Summary, SchedulerTrialResult? Trial);

/// <summary>What happened to a new scheduler source: the verifier's report and, when it passed, the stored candidate.</summary>
/// <param name="Report">The verifier's report, stage by stage.</param>
/// <param name="Stored">The policy as stored in the repository when it passed (lifecycle candidate or verified).</param>
/// <param name="StoreFailure">Why it was not stored, when it passed but the repository refused it.</param>
public sealed record SourceVerification(VerificationReport Report, SchedulerPolicy? Stored, string? StoreFailure);

/// <summary>
/// The control plane's verify, trial and submit operations for callers outside the optimisation loop (the MCP server,
/// the CLI): a repository policy or a new BPF C source goes through the verifier to the depth asked for, or runs in a
/// sched_ext guest under a workload. Kernel work always happens in the sandbox, so it needs the sandbox toolchain
/// but never a sched_ext host.
/// </summary>
public sealed class PolicyWorkbench
{
    private readonly PolicyRepository _repository;
    private readonly PolicyPromotion _promotion;
    private readonly SchedulerTrialRunner _trials;
    private readonly IServiceProvider _services;
    private readonly WorkbenchOptions _options;

    /// <summary>Creates the workbench.</summary>
    /// <param name="repository">Policies and their parameter schemas.</param>
    /// <param name="promotion">Stores verified new sources as candidates.</param>
    /// <param name="trials">Runs schedulers in sched_ext guests.</param>
    /// <param name="services">Resolves the verifier stages' dependencies (time, logging).</param>
    /// <param name="options">Where objects are found and new sources are written.</param>
    public PolicyWorkbench(PolicyRepository repository, PolicyPromotion promotion, SchedulerTrialRunner trials, IServiceProvider services, IOptions<WorkbenchOptions>? options = null)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _promotion = promotion ?? throw new ArgumentNullException(nameof(promotion));
        _trials = trials ?? throw new ArgumentNullException(nameof(trials));
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _options = options?.Value ?? new WorkbenchOptions();
    }

    /// <summary>
    /// Verifies a repository policy with a parameter set. A BPF-object policy goes through the static checks and, by
    /// depth, the kernel verifier and the sandbox run; a kernel example (a binary, nothing of ours to analyse) is
    /// loaded (kernel depth) or run (sandbox depth) in a guest.
    /// </summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="values">Parameter values, validated against the policy's schema first.</param>
    /// <param name="depth">How far to go.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The report, or why the policy cannot be verified here.</returns>
    public async Task<Outcome<VerificationReport, RepositoryError>> VerifyPolicyAsync(string policyName, IReadOnlyDictionary<string, string> values, VerificationDepth depth, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        if (!resolved.Succeeded)
        {
            return resolved.Failure!;
        }

        var (policy, parameters, scheduler) = resolved.Value!;
        if (scheduler is BpfObjectScheduler bpf)
        {
            var candidate = VerificationCandidate.FromObject(policy.Name, bpf.ObjectPath) with { Parameters = parameters.Values, ExpectedOpsName = policy.OpsName };
            return await Pipeline(depth).VerifyAsync(candidate, cancellationToken).ConfigureAwait(false);
        }

        var started = DateTimeOffset.UtcNow;
        var verdicts = new List<StageVerdict> { PolicySchedulers.KernelExampleProvenance(started) };
        if (depth != VerificationDepth.Static)
        {
            var trial = await _trials.RunAsync(new SchedulerTrial(scheduler) { LoadOnly = depth == VerificationDepth.Kernel }, cancellationToken).ConfigureAwait(false);
            var stage = depth == VerificationDepth.Kernel ? "kernel-verifier" : "sandbox-run";
            var reason = trial.Failure is null
                ? depth == VerificationDepth.Kernel ? "loaded in a sched_ext guest" : $"attached as {trial.Attached?.Ops}, ran the stress workload and detached ({trial.Exit?.Kind})"
                : trial.Failure.ToString();
            verdicts.Add(new StageVerdict(stage, trial.Failure is null, reason, [], Truncate(trial.SchedulerOutput), new Dictionary<string, double>(), DateTimeOffset.UtcNow - started, started));
        }

        return new VerificationReport(new VerificationCandidate(policy.Name) { Parameters = parameters.Values }, verdicts, (scheduler as ScxBinaryScheduler)?.BinaryPath);
    }

    /// <summary>
    /// Compiles a new scheduler source and verifies it to the depth asked for; when every stage passes, stores it in
    /// the repository as a generated candidate with the verdicts as its evidence. The source is written under the
    /// work directory, named by its content hash, so nothing the caller sent is lost.
    /// </summary>
    /// <param name="name">The new policy's name.</param>
    /// <param name="source">The BPF C source.</param>
    /// <param name="description">What it is for.</param>
    /// <param name="depth">How far to go.</param>
    /// <param name="origin">Who submitted it (stored as provenance), for example <c>mcp</c>.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The report and the stored policy.</returns>
    public Task<SourceVerification> VerifySourceAsync(string name, string source, string description, VerificationDepth depth, string origin, CancellationToken cancellationToken = default) =>
        VerifySourceAsync(name, source, description, depth, origin, null, cancellationToken);

    /// <summary>
    /// Revises a repository policy: applies a unified diff to its source, then verifies and stores the result like
    /// any new source (<see cref="VerifySourceAsync(string, string, string, VerificationDepth, string, CancellationToken)"/>),
    /// with its parent and the diff kept: the policy names its parent in its algorithm and characteristics, and the
    /// diff is written next to the source, content-addressed.
    /// </summary>
    /// <param name="name">The revised policy's name.</param>
    /// <param name="parentName">The policy whose source the diff is against.</param>
    /// <param name="diff">The unified diff.</param>
    /// <param name="depth">How far to verify.</param>
    /// <param name="origin">Who submitted it.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The revision, or why the diff did not apply.</returns>
    public async Task<Outcome<PolicyRevision, RepositoryError>> ReviseAsync(string name, string parentName, string diff, VerificationDepth depth, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var parent = await _repository.GetPolicyAsync(parentName, cancellationToken).ConfigureAwait(false);
        if (!parent.Succeeded)
        {
            return parent.Failure!;
        }

        if (PolicySchedulers.ReadSource(parent.Value!, _options.SourceDirectory, _options.BpfObjectDirectory) is not { } original)
        {
            return new RepositoryError(RepositoryErrorCode.RequirementsNotMet,
                $"The source of {parentName} is not available here ({parent.Value!.Source?.RelativePath ?? "none recorded"}); set WorkbenchOptions.SourceDirectory (ExecutionOptions.SourceDirectory) or SCHEDCP_SOURCE_DIR to the checkout that holds bpf/.");
        }

        var applied = PolicyPatch.Apply(original, diff);
        if (!applied.Applied)
        {
            return new RepositoryError(RepositoryErrorCode.InvalidPolicy, applied.Problem!);
        }

        var lineage = new SourceLineage(parent.Value!.Name, PolicyArtifact.FromText(original).Sha256!, diff);
        var verification = await VerifySourceAsync(name, applied.Text!, $"{parent.Value.Name} revised: {UnifiedDiff.Describe(diff)}.", depth, origin, lineage, cancellationToken).ConfigureAwait(false);
        return new PolicyRevision(parent.Value.Name, lineage.ParentSha256, diff, applied.Text!, verification, lineage.PatchPath);
    }

    private async Task<SourceVerification> VerifySourceAsync(string name, string source, string description, VerificationDepth depth, string origin, SourceLineage? lineage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(source);
        var directory = Path.GetFullPath(Path.Combine(_options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-work"), "submitted"));
        var valid = PolicyName.Validate(name, "scheduler");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
        var path = valid.Succeeded ? Path.GetFullPath(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{name}.{hash}.bpf.c"))) : "";
        if (!valid.Succeeded || !path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            // Nothing is written: a name that is not a plain identifier could point the file outside the work folder.
            var reason = valid.Succeeded ? $"The name {PolicyName.Quote(name)} leads outside {directory}." : valid.Failure!.Describe();
            var refused = new StageVerdict("input", false, reason, [new VerificationFinding("name", FindingSeverity.Error, reason, $"Use {PolicyName.Shape}.")], "",
                new Dictionary<string, double>(), TimeSpan.Zero, (_services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System).GetUtcNow());
            return new SourceVerification(new VerificationReport(new VerificationCandidate(PolicyName.Quote(name)), [refused], null), null, reason);
        }

        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(path, source, cancellationToken).ConfigureAwait(false);
        if (lineage is not null)
        {
            lineage.PatchPath = Path.ChangeExtension(path, null) + ".patch";
            await File.WriteAllTextAsync(lineage.PatchPath, lineage.Diff, cancellationToken).ConfigureAwait(false);
        }

        var report = await Pipeline(depth).VerifyAsync(VerificationCandidate.FromSource(name, path), cancellationToken).ConfigureAwait(false);
        if (!report.Passed)
        {
            return new SourceVerification(report, null, null);
        }

        var policy = new SchedulerPolicy
        {
            Name = name,
            Kind = PolicyKind.Generated,
            Description = description.Length > 0 ? description : $"Submitted through {origin}.",
            Algorithm = lineage is null ? "generated" : $"revision of {lineage.Parent} (source {lineage.ParentSha256[..12]}): {UnifiedDiff.Describe(lineage.Diff)}",
            Requirements = new PolicyRequirements("6.12", ["sched_ext", "btf"], []),
            Source = PolicyArtifact.FromText(source),
            Provenance = new PolicyProvenance(PolicyOrigin.Generated, hash, lineage is null ? origin : $"{origin}, revising {lineage.Parent}"),
            Characteristics = lineage is null ? [] : [$"parent:{lineage.Parent}", $"parent-sha256:{lineage.ParentSha256}", $"patch:{lineage.Diff}"],
        };
        var stored = await _promotion.SubmitCandidateAsync(policy, report.Verdicts.Select(v => v.ToRepositoryVerdict()).ToArray(), cancellationToken).ConfigureAwait(false);
        return stored.Succeeded ? new SourceVerification(report, stored.Value, null) : new SourceVerification(report, null, stored.Failure!.Describe());
    }

    /// <summary>Runs a repository policy in a sched_ext guest under a CPU stress workload: attach, run, detach.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="values">Parameter values, validated against the policy's schema first.</param>
    /// <param name="duration">How long the workload runs (default 3 s).</param>
    /// <param name="cancellationToken">Cancels the trial.</param>
    /// <returns>The trial, or why the policy cannot run in the sandbox.</returns>
    public async Task<Outcome<PolicyTrial, RepositoryError>> RunInSandboxAsync(string policyName, IReadOnlyDictionary<string, string> values, TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        if (!resolved.Succeeded)
        {
            return resolved.Failure!;
        }

        var (policy, _, scheduler) = resolved.Value!;
        if (scheduler is BpfObjectScheduler bpf && policy.OpsName is { } ops)
        {
            scheduler = bpf with { ExpectedOpsName = ops };
        }

        var trial = await _trials.RunAsync(new SchedulerTrial(scheduler) { WorkloadDuration = duration ?? TimeSpan.FromSeconds(3) }, cancellationToken).ConfigureAwait(false);
        var summary = trial.Failure is null
            ? $"{policy.Name} attached as {trial.Attached?.Ops} in a sched_ext guest, ran the stress workload and detached cleanly ({trial.Exit?.Kind})."
            : $"{policy.Name} failed in the sandbox: {trial.Failure}";
        return new PolicyTrial(policy.Name, trial.Failure is null, trial.Attached?.Ops, summary, trial);
    }

    /// <summary>The scheduler that would run for a policy with a parameter set: its object (built here for a stored source) or binary.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="values">Parameter values, validated against the policy's schema.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>The scheduler, or why there is none here.</returns>
    public async Task<Outcome<SchedulerUnderTest, RepositoryError>> SchedulerAsync(string policyName, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        if (!resolved.Succeeded)
        {
            return resolved.Failure!;
        }

        var (policy, _, scheduler) = resolved.Value!;
        return scheduler is BpfObjectScheduler bpf && policy.OpsName is { } ops ? bpf with { ExpectedOpsName = ops } : scheduler;
    }

    /// <summary>
    /// The file that would run for a policy: its BPF object, or the kernel example's binary. Deployment tokens carry
    /// its SHA-256, so a token issued for one build does not deploy another.
    /// </summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="values">Parameter values.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The path, or why there is none here.</returns>
    public async Task<Outcome<string, RepositoryError>> ArtifactPathAsync(string policyName, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        return !resolved.Succeeded ? resolved.Failure! : resolved.Value!.Scheduler switch
        {
            BpfObjectScheduler bpf => bpf.ObjectPath,
            ScxBinaryScheduler binary => binary.BinaryPath,
            var other => new RepositoryError(RepositoryErrorCode.RequirementsNotMet, $"{policyName} runs as {other.GetType().Name}, which has no artifact to check."),
        };
    }

    private async Task<Outcome<(SchedulerPolicy Policy, ValidatedParameters Parameters, SchedulerUnderTest Scheduler), RepositoryError>> ResolveAsync(
        string policyName, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var policy = await _repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        if (!policy.Succeeded)
        {
            return policy.Failure;
        }

        var parameters = await _repository.ValidateParametersAsync(policyName, values, cancellationToken).ConfigureAwait(false);
        if (!parameters.Succeeded)
        {
            return parameters.Failure;
        }

        if (PolicySchedulers.Create(policy.Value!, parameters.Value!, _options.BpfObjectDirectory, out var problem) is { } scheduler)
        {
            return (policy.Value!, parameters.Value!, scheduler);
        }

        if (policy.Value!.Kind == PolicyKind.Generated && policy.Value.Source?.Content is { } source)
        {
            // A generated or revised policy is stored as source: build its object here, as the verifier did when it was stored.
            var directory = Path.GetFullPath(Path.Combine(_options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-work"), "built"));
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, $"{policy.Value.Name}.{policy.Value.Source.Sha256?[..16] ?? "src"}.bpf.c");
            await File.WriteAllTextAsync(path, source, cancellationToken).ConfigureAwait(false);
            var built = await new VerifierPipelineBuilder().UseCompile().Build(_services).VerifyAsync(VerificationCandidate.FromSource(policy.Value.Name, path), cancellationToken).ConfigureAwait(false);
            if (built.Passed && built.ObjectPath is { } objectPath)
            {
                return (policy.Value, parameters.Value!,
                    new BpfObjectScheduler(objectPath) { Rodata = parameters.Value!.Rodata.ToDictionary(r => r.Variable, r => r.Value, StringComparer.Ordinal) });
            }

            problem = $"The stored source of {policy.Value.Name} does not compile here: {built.FailedStage?.Reason}";
        }

        return new RepositoryError(RepositoryErrorCode.RequirementsNotMet, problem!);
    }

    private VerifierPipeline Pipeline(VerificationDepth depth)
    {
        var builder = new VerifierPipelineBuilder().UseCompile().UseStaticAnalysis();
        if (depth >= VerificationDepth.Kernel)
        {
            builder.UseKernelVerifier(_trials);
        }

        if (depth == VerificationDepth.Sandbox)
        {
            builder.UseSandboxRun(trials: _trials);
        }

        return builder.Build(_services);
    }

    private static string Truncate(string text) => text.Length <= StageVerdict.MaxRecordedLog ? text : text[^StageVerdict.MaxRecordedLog..];

    private sealed class SourceLineage(string parent, string parentSha256, string diff)
    {
        public string Parent { get; } = parent;

        public string ParentSha256 { get; } = parentSha256;

        public string Diff { get; } = diff;

        public string? PatchPath { get; set; }
    }
}
