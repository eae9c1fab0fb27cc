using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// The scheduler policy repository: search (summaries first, details on request), policies and their typed parameters,
/// code primitives, performance history per workload and JSON export/import. Thread-safe; one instance per store.
/// Promotion of generated policies lives in <see cref="PolicyPromotion"/>.
/// </summary>
public sealed class PolicyRepository
{
    private readonly IPolicyStore _store;
    private readonly PolicyRepositoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddings;
    private readonly ConcurrentDictionary<string, ReadOnlyMemory<float>> _embeddingCache = new(StringComparer.Ordinal);
    private readonly Lock _readyGate = new();
    private Task? _ready;
    private volatile PolicySearchIndex? _index;

    /// <summary>Creates a repository over <paramref name="store"/>.</summary>
    /// <param name="store">The storage.</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="embeddingGenerator">Optional embeddings for hybrid search; BM25 alone without one.</param>
    public PolicyRepository(
        IPolicyStore store,
        IOptions<PolicyRepositoryOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<PolicyRepository>? logger = null,
        IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _embeddings = embeddingGenerator;
    }

    /// <summary>The store underneath.</summary>
    public IPolicyStore Store => _store;

    /// <summary>The code primitives an agent can compose new schedulers from (metadata; the BPF snippets are compiled by the verifier's sandbox).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Instance API: primitives will come from the store once generated ones are kept.")]
    public IReadOnlyList<CodePrimitive> Primitives => BuiltInCatalog.Catalog.Primitives;

    /// <summary>Creates or migrates the store and seeds the built-in catalog; runs once, other calls wait for it.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task.</returns>
    public Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        lock (_readyGate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = InitializeAsync(cancellationToken);
            }

            return _ready;
        }
    }

    /// <summary>Searches policies. Returns a few lines per policy; call <see cref="GetPolicyAsync"/> for one policy's full metadata.</summary>
    /// <param name="query">The query and filters.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Summaries, best first.</returns>
    public async Task<IReadOnlyList<PolicySummary>> SearchAsync(PolicySearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var index = await CurrentIndexAsync(cancellationToken).ConfigureAwait(false);
        var limit = Math.Clamp(query.Limit ?? _options.DefaultSearchLimit, 1, 100);
        try
        {
            return await index.SearchAsync(query, limit, _options.FusionK, _embeddings, _embeddingCache, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (_embeddings is not null && e is not OperationCanceledException)
        {
            // A failing embedding service degrades search to BM25 instead of failing it.
            RepositoryLog.EmbeddingFailed(_logger, e);
            return await index.SearchAsync(query, limit, _options.FusionK, null, _embeddingCache, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every policy the filters of <paramref name="filter"/> accept (its text is ignored), as summaries ordered by name.
    /// Without a lifecycle filter, rejected and deprecated policies are left out, as in search.
    /// </summary>
    /// <param name="filter">Kind, lifecycle and host filters; null lists everything current.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Summaries ordered by name.</returns>
    public async Task<IReadOnlyList<PolicySummary>> ListAsync(PolicySearchQuery? filter = null, CancellationToken cancellationToken = default)
    {
        var index = await CurrentIndexAsync(cancellationToken).ConfigureAwait(false);
        return index.List(filter ?? new PolicySearchQuery(""));
    }

    /// <summary>Reads one policy's full metadata.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policy, <see cref="RepositoryErrorCode.InvalidName"/> for a name no policy can have, or <see cref="RepositoryErrorCode.UnknownPolicy"/>.</returns>
    public async Task<Outcome<SchedulerPolicy, RepositoryError>> GetPolicyAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var valid = PolicyName.Validate(name);
        if (!valid.Succeeded)
        {
            return valid.Failure;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var policy = await _store.GetPolicyAsync(name, cancellationToken).ConfigureAwait(false);
        return policy is null
            ? new RepositoryError(RepositoryErrorCode.UnknownPolicy, $"No policy named '{name}'; search the repository for available policies.")
            : policy;
    }

    /// <summary>Validates parameters for a policy and renders its argument vector or <c>.rodata</c> assignments.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="values">Parameter name to value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validated parameters or the reason they were refused.</returns>
    public async Task<Outcome<ValidatedParameters, RepositoryError>> ValidateParametersAsync(string policyName, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        var policy = await GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        return policy.Succeeded ? ParameterValidator.Validate(policy.Value, values) : policy.Failure;
    }

    /// <summary>Validates a policy's preset for <paramref name="mode"/>, with optional overrides.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="mode">The scx_loader-style mode.</param>
    /// <param name="overrides">Values that replace the preset's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validated parameters or the reason they were refused.</returns>
    public async Task<Outcome<ValidatedParameters, RepositoryError>> ResolvePresetAsync(string policyName, SchedulerMode mode, IReadOnlyDictionary<string, string>? overrides = null, CancellationToken cancellationToken = default)
    {
        var policy = await GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        return policy.Succeeded ? ParameterValidator.ValidatePreset(policy.Value, mode, overrides) : policy.Failure;
    }

    /// <summary>Records a workload profile (or returns the stored one with the same fingerprint).</summary>
    /// <param name="description">A natural-language description.</param>
    /// <param name="characteristics">The characteristics the fingerprint is computed from.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored profile.</returns>
    public async Task<WorkloadProfile> RecordProfileAsync(string description, IReadOnlyDictionary<string, string> characteristics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await _store.UpsertProfileAsync(WorkloadProfile.Create(description, characteristics, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records runs after checking them: the workload exists, the policy exists (or the run is an EEVDF baseline), the
    /// parameters pass the policy's schema, the metrics are plausible. Nothing is stored if any run is refused.
    /// </summary>
    /// <param name="runs">The runs, candidate and baseline, usually of one session.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many runs were new, or why the batch was refused.</returns>
    public async Task<Outcome<int, RepositoryError>> RecordRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var policies = new Dictionary<string, SchedulerPolicy?>(StringComparer.Ordinal);
        var profiles = new HashSet<string>(StringComparer.Ordinal);
        var accepted = new List<RunRecord>(runs.Count);
        foreach (var run in runs)
        {
            if (!profiles.Contains(run.WorkloadFingerprint))
            {
                if (await _store.GetProfileAsync(run.WorkloadFingerprint, cancellationToken).ConfigureAwait(false) is null)
                {
                    return new RepositoryError(RepositoryErrorCode.UnknownWorkload, $"Run '{run.RunId}' names workload '{run.WorkloadFingerprint}', which is not recorded; call RecordProfileAsync first.");
                }

                profiles.Add(run.WorkloadFingerprint);
            }

            var (problem, canonical) = await CheckRunAsync(run, policies, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return new RepositoryError(RepositoryErrorCode.InvalidRun, $"Run '{run.RunId}': {problem}.");
            }

            // Canonical values, so "20ms" and "20000" group as one configuration.
            accepted.Add(run with { Parameters = canonical! });
        }

        var added = await _store.AddRunsAsync(accepted, cancellationToken).ConfigureAwait(false);
        foreach (var fingerprint in profiles)
        {
            RepositoryLog.RunsRecorded(_logger, added, fingerprint);
        }

        return added;
    }

    /// <summary>Ranks the policy configurations tried on a workload by their improvement over the same-session EEVDF baseline.</summary>
    /// <param name="fingerprint">The workload fingerprint.</param>
    /// <param name="metric">The metric to compare.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Rankings best first, or <see cref="RepositoryErrorCode.UnknownWorkload"/>.</returns>
    public async Task<Outcome<IReadOnlyList<PolicyRanking>, RepositoryError>> RankAsync(string fingerprint, RankingMetric metric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (await _store.GetProfileAsync(fingerprint, cancellationToken).ConfigureAwait(false) is null)
        {
            return new RepositoryError(RepositoryErrorCode.UnknownWorkload, $"Workload '{fingerprint}' is not recorded.");
        }

        var runs = await _store.GetRunsAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        return Outcome<IReadOnlyList<PolicyRanking>, RepositoryError>.Success(HistoryRanker.Rank(runs, metric));
    }

    /// <summary>Writes the whole repository as indented JSON.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task ExportJsonAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await _store.ExportAsync(cancellationToken).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(destination, snapshot, RepositoryJson.Indented, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a JSON export and merges it into the store in one transaction, after validating every policy in it.</summary>
    /// <param name="source">The JSON document.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of policies imported, or why the document was refused (nothing is written then).</returns>
    public async Task<Outcome<int, RepositoryError>> ImportJsonAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        RepositorySnapshot? snapshot;
        try
        {
            snapshot = await JsonSerializer.DeserializeAsync<RepositorySnapshot>(source, RepositoryJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return new RepositoryError(RepositoryErrorCode.InvalidImport, $"The document is not a repository export: {e.Message}");
        }

        if (snapshot is null || snapshot.FormatVersion != 1)
        {
            return new RepositoryError(RepositoryErrorCode.InvalidImport, "The document is empty or not format version 1.");
        }

        foreach (var policy in snapshot.Policies)
        {
            var issues = CatalogValidator.ValidatePolicy(policy);
            if (issues.Count > 0)
            {
                return new RepositoryError(RepositoryErrorCode.InvalidImport, $"Policy '{policy.Name}' is invalid: {string.Join("; ", issues)}.");
            }
        }

        await _store.ImportAsync(snapshot, cancellationToken).ConfigureAwait(false);
        return snapshot.Policies.Count;
    }

    private async Task<(string? Problem, IReadOnlyDictionary<string, string>? Canonical)> CheckRunAsync(RunRecord run, Dictionary<string, SchedulerPolicy?> policies, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(run.RunId) || string.IsNullOrWhiteSpace(run.SessionId))
        {
            return ("run and session ids are required", null);
        }

        if (run.Repeat < 0)
        {
            return ("the repeat index starts at 0", null);
        }

        if (run.Metrics.FindProblem() is { } metricProblem)
        {
            return (metricProblem, null);
        }

        if (run.IsBaseline != (run.PolicyName == RunRecord.BaselinePolicyName))
        {
            return ($"baseline runs, and only they, carry the policy name '{RunRecord.BaselinePolicyName}'", null);
        }

        if (run.IsBaseline)
        {
            return run.Parameters.Count == 0 ? (null, run.Parameters) : ("a baseline run has no parameters", null);
        }

        if (!policies.TryGetValue(run.PolicyName, out var policy))
        {
            policies[run.PolicyName] = policy = await _store.GetPolicyAsync(run.PolicyName, cancellationToken).ConfigureAwait(false);
        }

        if (policy is null)
        {
            return ($"policy '{run.PolicyName}' is not in the repository", null);
        }

        var validated = ParameterValidator.Validate(policy, run.Parameters);
        return validated.Succeeded ? (null, validated.Value.Values) : (validated.Failure.Message, null);
    }

    private async Task<PolicySearchIndex> CurrentIndexAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var generation = await _store.GetPolicyGenerationAsync(cancellationToken).ConfigureAwait(false);
        var index = _index;
        if (index is not null && index.Generation == generation)
        {
            return index;
        }

        var policies = await _store.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
        index = new PolicySearchIndex(generation, policies);
        _index = index;
        RepositoryLog.IndexRebuilt(_logger, index.Count, generation);
        return index;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (!_options.SeedBuiltInCatalog)
        {
            return;
        }

        var changed = new List<SchedulerPolicy>();
        foreach (var policy in BuiltInCatalog.Catalog.Policies)
        {
            var stored = await _store.GetPolicyAsync(policy.Name, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                changed.Add(policy);
                continue;
            }

            // A promotion (or deprecation) made here outlives a catalog refresh.
            var refreshed = policy with { Lifecycle = stored.Lifecycle };
            if (stored.Provenance.Origin == PolicyOrigin.BuiltIn
                && JsonSerializer.Serialize(refreshed, RepositoryJson.Options) != JsonSerializer.Serialize(stored, RepositoryJson.Options))
            {
                changed.Add(refreshed);
            }
        }

        if (changed.Count > 0)
        {
            await _store.UpsertPoliciesAsync(changed, "built-in catalog", cancellationToken).ConfigureAwait(false);
            RepositoryLog.Seeded(_logger, changed.Count);
        }
    }
}
