using Microsoft.Extensions.Options;
using SchedCP.Repository.Tokens;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Tokens;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>
/// The one way a scheduler gets onto a host, for every front end (C# API, MCP, CLI, the optimisation loop): the token
/// is checked once (policy, object hash, parameters, host, expiry, signature), the candidate runs as a canary against the
/// last known-good scheduler (or EEVDF) on the target, a candidate that passes becomes the new known-good, one that trips
/// is replaced by the known-good or EEVDF. Every step is journaled. Expected failures come back as a
/// <see cref="DeploymentOutcome"/> with a remedy.
/// </summary>
/// <param name="tokens">Checks deployment tokens.</param>
/// <param name="knownGood">The durable known-good history.</param>
/// <param name="journal">Records every transition, refusals included.</param>
/// <param name="target">The host, or the sandbox guest playing it.</param>
/// <param name="options">Whether lab deployments without a token are allowed.</param>
/// <param name="time">Stamps records.</param>
/// <param name="spentTokens">Where each token is spent once; null only where tokens cannot outlive the process (tests).</param>
public sealed class DeploymentService(DeploymentTokenValidator tokens, IKnownGoodStore knownGood, ICanaryJournal journal, IDeploymentTarget target, IOptions<DeploymentOptions>? options = null, TimeProvider? time = null, SpentTokenLedger? spentTokens = null)
{
    /// <summary>The deployment id journaled for a lab deployment without a token.</summary>
    public const string UnsafeNoTokenId = "unsafe-no-token";

    private readonly DeploymentOptions _options = options?.Value ?? new DeploymentOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary><c>host</c> or <c>sandbox</c>: where deployments act.</summary>
    public string Where => target.Where;

    /// <summary>The last known-good scheduler, or null (rollback then goes to EEVDF).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public ValueTask<KnownGoodRecord?> KnownGoodAsync(CancellationToken cancellationToken = default) => knownGood.ReadAsync(cancellationToken);

    /// <summary>Deploys a candidate through its token and a canary.</summary>
    /// <param name="request">What to deploy.</param>
    /// <param name="cancellationToken">Cancels the deployment (the target still restores a safe scheduler where it can).</param>
    /// <returns>What happened and what runs now.</returns>
    public async Task<DeploymentOutcome> DeployAsync(DeploymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var candidate = request.Candidate;
        if (!File.Exists(candidate.ObjectPath))
        {
            return await RefuseAsync(request, TokenRefusal.None, "none", $"The candidate object {candidate.ObjectPath} does not exist.", "Build the policy (verify at kernel or sandbox depth) and deploy the object the token was issued for.", cancellationToken).ConfigureAwait(false);
        }

        if (!candidate.ObjectPath.EndsWith(".bpf.o", StringComparison.Ordinal))
        {
            return await RefuseAsync(request, TokenRefusal.None, "none", $"{candidate.Name} runs as {Path.GetFileName(candidate.ObjectPath)}, not a BPF object; only BPF objects deploy through the canary.",
                "Deploy a BPF-object policy (list_schedulers / 'schedcp list' shows which have one), or run this one in the sandbox.", cancellationToken).ConfigureAwait(false);
        }

        string deploymentId;
        if (request.UnsafeNoToken)
        {
            if (!_options.AllowUnsafeNoToken)
            {
                return await RefuseAsync(request, TokenRefusal.Missing, UnsafeNoTokenId, "A deployment without a token was asked for, but this control plane does not allow it.",
                    "Verify the candidate for a token; for a lab machine only, enable DeploymentOptions.AllowUnsafeNoToken (CLI: --unsafe-no-token).", cancellationToken).ConfigureAwait(false);
            }

            deploymentId = UnsafeNoTokenId;
            await journal.AppendAsync(new CanaryTransition(_time.GetUtcNow(), deploymentId, candidate.Name, CanaryPhase.Baseline, "unchanged",
                $"UNSAFE: deployed without a token at the request of {request.Origin} (lab use)"), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var check = tokens.Validate(request.Token, candidate.Name, DeploymentToken.Sha256OfFile(candidate.ObjectPath), request.TokenParameters ?? candidate.Parameters);
            if (!check.IsValid)
            {
                return await RefuseAsync(request, check.Refusal, check.Token?.TokenId ?? "none", check.Reason, check.Remedy, cancellationToken).ConfigureAwait(false);
            }

            deploymentId = check.Token?.TokenId ?? "none";

            // Single use: the first deployment spends the token atomically; a replay is refused before anything runs.
            if (spentTokens is not null && check.Token is not null)
            {
                var spend = await spentTokens.TrySpendAsync(check.Token.TokenId, candidate.Name, cancellationToken).ConfigureAwait(false);
                if (!spend.Spent)
                {
                    return await RefuseAsync(request, TokenRefusal.Spent, deploymentId, spend.Reason, spend.Remedy, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var outcome = await CanaryThenDecideAsync(request, candidate, deploymentId, cancellationToken).ConfigureAwait(false);
        if (spentTokens is not null && deploymentId != UnsafeNoTokenId && deploymentId != "none")
        {
            await spentTokens.RecordOutcomeAsync(deploymentId, outcome.Status.ToString(), CancellationToken.None).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task<DeploymentOutcome> CanaryThenDecideAsync(DeploymentRequest request, DeployableScheduler candidate, string deploymentId, CancellationToken cancellationToken)
    {

        var good = await knownGood.ReadAsync(cancellationToken).ConfigureAwait(false);
        var plan = new CanaryPlan(candidate, request.Token, good?.Scheduler) { Fault = request.Fault, TokenParameters = request.TokenParameters, TokenAcceptedAs = deploymentId };
        CanaryOutcome canary;
        try
        {
            canary = await target.CanaryAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // The guest that played the host is gone (powered off, crashed): a host that restarts comes up on EEVDF; the
            // known-good record is untouched, so the next rollback or deployment starts from it.
            var after = target.Where == "sandbox" ? "EEVDF" : "unknown";
            await journal.AppendAsync(new CanaryTransition(_time.GetUtcNow(), deploymentId, candidate.Name, CanaryPhase.RolledBack, after,
                $"the canary was cut off: {e.Message}; known-good on record: {good?.Scheduler.Name ?? "none (EEVDF)"}"), cancellationToken).ConfigureAwait(false);
            return new DeploymentOutcome(DeploymentStatus.Failed, candidate.Name, after, $"The canary of {candidate.Name} was cut off: {e.Message}",
                good is null ? "Check the host and deploy again; it restarts on EEVDF." : $"Check the host; 'rollback' restores the known-good scheduler {good.Scheduler.Name}.", target.Where) { TokenId = deploymentId, Canary = null };
        }

        var running = canary.FinalState == "enabled" && canary.FinalOps.Length > 0 ? canary.FinalOps : "EEVDF";
        if (canary.Decision?.Promote == true && canary.FinalOps == candidate.OpsName)
        {
            await knownGood.WriteAsync(new KnownGoodRecord(candidate, deploymentId, _time.GetUtcNow(), target.Where), cancellationToken).ConfigureAwait(false);
            return new DeploymentOutcome(DeploymentStatus.Promoted, candidate.Name, running,
                $"{candidate.Name} passed its canary ({canary.Decision.Reason}) and is the new known-good scheduler" + (target.Where == "sandbox" ? " (in the guest playing the host; nothing stays attached on this machine)" : ""), "", target.Where)
            { TokenId = deploymentId, Canary = canary };
        }

        var why = canary.Decision is { } d ? $"{d.Trip}: {d.Reason}" : canary.GuestTrip != CanaryTrip.None ? canary.GuestTrip.ToString() : "the canary produced no observation";
        return new DeploymentOutcome(DeploymentStatus.RolledBack, candidate.Name, running,
            $"{candidate.Name} failed its canary ({why}); rolled back to {(good is null ? "EEVDF (no known-good scheduler is recorded)" : $"the known-good scheduler {good.Scheduler.Name}")}.",
            "Look at the journal and the loader log; fix the candidate, verify it again and deploy the new token.", target.Where)
        { TokenId = deploymentId, Canary = canary };
    }

    /// <summary>
    /// Rolls back the last promoted deployment: retires it from the known-good history and restores the scheduler
    /// promoted before it, or EEVDF when there is none.
    /// </summary>
    /// <param name="origin">Who asks; journaled.</param>
    /// <param name="cancellationToken">Cancels the rollback.</param>
    /// <returns>What runs now.</returns>
    public async Task<DeploymentOutcome> RollbackAsync(string origin, CancellationToken cancellationToken = default)
    {
        var retired = await knownGood.ReadAsync(cancellationToken).ConfigureAwait(false);
        var previous = retired is null ? null : await knownGood.RetireAsync(cancellationToken).ConfigureAwait(false);
        var (running, how) = await target.RestoreAsync(previous?.Scheduler, cancellationToken).ConfigureAwait(false);
        var policy = previous?.Scheduler.Name ?? "EEVDF";
        await journal.AppendAsync(new CanaryTransition(_time.GetUtcNow(), retired?.TokenId ?? "none", retired?.Scheduler.Name ?? "none", CanaryPhase.RolledBack, running,
            $"rollback requested by {origin}: " + (retired is null ? "no deployment is recorded; " : $"retired {retired.Scheduler.Name}; ") + how), cancellationToken).ConfigureAwait(false);
        return new DeploymentOutcome(DeploymentStatus.RolledBack, policy, running,
            (retired is null ? "No deployment is recorded; " : $"Rolled back {retired.Scheduler.Name} to {(previous is null ? "EEVDF (no earlier known-good scheduler)" : $"the known-good scheduler {previous.Scheduler.Name}")}; ") + how + ".",
            "", target.Where);
    }

    private async Task<DeploymentOutcome> RefuseAsync(DeploymentRequest request, TokenRefusal refusal, string id, string reason, string remedy, CancellationToken cancellationToken)
    {
        await journal.AppendAsync(new CanaryTransition(_time.GetUtcNow(), id, request.Candidate.Name, CanaryPhase.Refused, "unchanged",
            $"{refusal}: {reason} {remedy} (asked by {request.Origin})"), cancellationToken).ConfigureAwait(false);
        return new DeploymentOutcome(DeploymentStatus.Refused, request.Candidate.Name, "unchanged", reason, remedy, target.Where) { TokenRefusal = refusal };
    }
}
