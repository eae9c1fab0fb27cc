using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// The lifecycle of generated policies: a candidate enters with its source and the verifier's verdicts, becomes
/// verified when every stage passed, and reaches production only through a deployment the verifier signed. A refused
/// candidate is kept, with its source and reasons, as an antipattern.
/// </summary>
public sealed class PolicyPromotion
{
    private readonly PolicyRepository _repository;
    private readonly IDeploymentReceiptValidator? _receipts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the promotion service.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="receiptValidator">The verifier's receipt validator; without one, nothing reaches production.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public PolicyPromotion(PolicyRepository repository, IDeploymentReceiptValidator? receiptValidator = null, TimeProvider? timeProvider = null, ILogger<PolicyPromotion>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _receipts = receiptValidator;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    private IPolicyStore Store => _repository.Store;

    /// <summary>
    /// Submits a generated policy with the verdicts so far. It enters as <see cref="PolicyLifecycle.Candidate"/>, or as
    /// <see cref="PolicyLifecycle.Rejected"/> when a verdict failed (kept as an antipattern either way).
    /// </summary>
    /// <param name="policy">The policy; its <see cref="SchedulerPolicy.Source"/> carries the BPF C and its hash.</param>
    /// <param name="verdicts">The verifier's verdicts so far (may be empty).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored policy, or why it was refused.</returns>
    public async Task<Outcome<SchedulerPolicy, RepositoryError>> SubmitCandidateAsync(SchedulerPolicy policy, IReadOnlyList<VerifierVerdict> verdicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(verdicts);
        var name = PolicyName.Validate(policy.Name, "candidate");
        if (!name.Succeeded)
        {
            return name.Failure;
        }

        await _repository.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var issues = CatalogValidator.ValidatePolicy(policy);
        if (issues.Count > 0)
        {
            return new RepositoryError(RepositoryErrorCode.InvalidPolicy, $"Candidate '{policy.Name}' is invalid: {string.Join("; ", issues)}.");
        }

        var failed = verdicts.FirstOrDefault(v => !v.Passed);
        var stored = policy with { Lifecycle = failed is null ? PolicyLifecycle.Candidate : PolicyLifecycle.Rejected };
        var reason = failed is null ? "submitted" : $"rejected at {failed.Stage}: {failed.Reason}";
        if (!await Store.TryInsertPolicyAsync(stored, verdicts, reason, cancellationToken).ConfigureAwait(false))
        {
            return new RepositoryError(RepositoryErrorCode.DuplicatePolicy, $"A policy named '{policy.Name}' exists; submit under a new name (for example with a version suffix).");
        }

        RepositoryLog.Transitioned(_logger, policy.Name, null, stored.Lifecycle, reason);
        return stored;
    }

    /// <summary>
    /// Records the verifier's verdicts on a candidate. When all pass, it becomes <see cref="PolicyLifecycle.Verified"/>;
    /// when one fails, it becomes <see cref="PolicyLifecycle.Rejected"/> and the failing stage is returned as the error.
    /// </summary>
    /// <param name="policyName">The candidate.</param>
    /// <param name="verdicts">The verdicts of the run of the verifier's pipeline; at least one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new lifecycle, or why the candidate was not verified.</returns>
    public async Task<Outcome<PolicyLifecycle, RepositoryError>> RecordVerificationAsync(string policyName, IReadOnlyList<VerifierVerdict> verdicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var policy = await _repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        if (!policy.Succeeded)
        {
            return policy.Failure;
        }

        if (policy.Value.Lifecycle != PolicyLifecycle.Candidate)
        {
            return new RepositoryError(RepositoryErrorCode.InvalidTransition, $"Policy '{policyName}' is {policy.Value.Lifecycle}; only candidates are verified.");
        }

        if (verdicts.Count == 0)
        {
            return new RepositoryError(RepositoryErrorCode.VerdictNotPassed, $"No verdicts given for '{policyName}'; run the verifier pipeline and pass its verdicts.");
        }

        var failed = verdicts.FirstOrDefault(v => !v.Passed);
        var to = failed is null ? PolicyLifecycle.Verified : PolicyLifecycle.Rejected;
        var reason = failed is null ? $"passed {string.Join(", ", verdicts.Select(v => v.Stage))}" : $"rejected at {failed.Stage}: {failed.Reason}";
        var moved = await TransitionAsync(policyName, PolicyLifecycle.Candidate, to, reason, null, verdicts, cancellationToken).ConfigureAwait(false);
        if (!moved.Succeeded)
        {
            return moved;
        }

        return failed is null
            ? moved
            : new RepositoryError(RepositoryErrorCode.VerdictNotPassed, $"Policy '{policyName}' failed the {failed.Stage} stage: {failed.Reason}. It is kept as an antipattern; fix the cause and submit a new candidate.");
    }

    /// <summary>Promotes a verified policy to production, which needs a deployment receipt signed by the verifier.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="receipt">The receipt of the signed deployment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="PolicyLifecycle.Production"/>, or <see cref="RepositoryErrorCode.ReceiptRejected"/> / <see cref="RepositoryErrorCode.InvalidTransition"/>.</returns>
    public async Task<Outcome<PolicyLifecycle, RepositoryError>> PromoteToProductionAsync(string policyName, DeploymentReceipt? receipt, CancellationToken cancellationToken = default)
    {
        var policy = await _repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        if (!policy.Succeeded)
        {
            return policy.Failure;
        }

        if (policy.Value.Lifecycle != PolicyLifecycle.Verified)
        {
            return new RepositoryError(RepositoryErrorCode.InvalidTransition, $"Policy '{policyName}' is {policy.Value.Lifecycle}; only verified policies are promoted to production.");
        }

        string refusal;
        if (_receipts is null)
        {
            refusal = "no deployment receipt validator is registered; production needs a deployment signed by the verifier";
        }
        else if (receipt is null || string.IsNullOrWhiteSpace(receipt.Token))
        {
            refusal = "no deployment receipt was given; deploy through the verifier and pass its receipt";
        }
        else
        {
            var hash = policy.Value.Source?.Sha256 ?? policy.Value.BuiltObject?.Sha256;
            var validation = await _receipts.ValidateAsync(receipt, policyName, hash, cancellationToken).ConfigureAwait(false);
            if (validation.IsValid)
            {
                return await TransitionAsync(policyName, PolicyLifecycle.Verified, PolicyLifecycle.Production, "deployed under a signed receipt", validation.ReceiptId, [], cancellationToken).ConfigureAwait(false);
            }

            refusal = $"the deployment receipt is not valid: {validation.Reason}";
        }

        RepositoryLog.PromotionRefused(_logger, policyName, refusal);
        return new RepositoryError(RepositoryErrorCode.ReceiptRejected, $"Policy '{policyName}' was not promoted: {refusal}.");
    }

    /// <summary>Deprecates a policy: it stays readable with its history but is no longer offered by default.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="PolicyLifecycle.Deprecated"/> or why not.</returns>
    public async Task<Outcome<PolicyLifecycle, RepositoryError>> DeprecateAsync(string policyName, string reason, CancellationToken cancellationToken = default)
    {
        var policy = await _repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        if (!policy.Succeeded)
        {
            return policy.Failure;
        }

        if (policy.Value.Lifecycle is PolicyLifecycle.Deprecated or PolicyLifecycle.Rejected)
        {
            return new RepositoryError(RepositoryErrorCode.InvalidTransition, $"Policy '{policyName}' is already {policy.Value.Lifecycle}.");
        }

        return await TransitionAsync(policyName, policy.Value.Lifecycle, PolicyLifecycle.Deprecated, reason, null, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the rejected candidates with the verdicts that failed, as lessons for the next generation.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The antipatterns, by policy name.</returns>
    public async Task<IReadOnlyList<Antipattern>> GetAntipatternsAsync(CancellationToken cancellationToken = default)
    {
        await _repository.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<Antipattern>();
        foreach (var policy in await Store.ListPoliciesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (policy.Lifecycle != PolicyLifecycle.Rejected)
            {
                continue;
            }

            var verdicts = await Store.GetVerdictsAsync(policy.Name, cancellationToken).ConfigureAwait(false);
            result.Add(new Antipattern(policy.Name, policy.Description, verdicts.Where(v => !v.Passed).ToList(), policy.Source?.Sha256));
        }

        return result;
    }

    private async Task<Outcome<PolicyLifecycle, RepositoryError>> TransitionAsync(string name, PolicyLifecycle from, PolicyLifecycle to, string reason, string? receiptId, IReadOnlyList<VerifierVerdict> verdicts, CancellationToken cancellationToken)
    {
        var transition = new LifecycleTransition(name, from, to, reason, receiptId, _time.GetUtcNow());
        if (!await Store.TryTransitionAsync(transition, verdicts, cancellationToken).ConfigureAwait(false))
        {
            return new RepositoryError(RepositoryErrorCode.InvalidTransition, $"Policy '{name}' changed while it was being moved from {from} to {to}; read it again and retry.");
        }

        RepositoryLog.Transitioned(_logger, name, from, to, reason);
        return to;
    }
}
