using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Tokens;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>How a deployment ended.</summary>
public enum DeploymentStatus
{
    /// <summary>Refused before anything was attached (token, options or the candidate itself); see the remedy.</summary>
    Refused,

    /// <summary>The candidate passed its canary and runs; it is the new known-good scheduler.</summary>
    Promoted,

    /// <summary>The canary tripped and the host went back to the known-good scheduler, or EEVDF when there is none.</summary>
    RolledBack,

    /// <summary>The host or sandbox failed; nothing is known to run but what <see cref="DeploymentOutcome.Running"/> says.</summary>
    Failed,
}

/// <summary>What a deployment or a rollback did.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Policy">The candidate's policy name (or the rollback target's).</param>
/// <param name="Running">What runs after it: a scheduler's ops name, or <c>EEVDF</c>.</param>
/// <param name="Reason">A sentence for the user.</param>
/// <param name="Remedy">What to do when it was refused or failed; empty otherwise.</param>
/// <param name="Where"><c>host</c> when it acted on this machine's kernel, <c>sandbox</c> when a sched_ext guest played the host.</param>
public sealed record DeploymentOutcome(DeploymentStatus Status, string Policy, string Running, string Reason, string Remedy, string Where)
{
    /// <summary>The token's refusal when <see cref="Status"/> is <see cref="DeploymentStatus.Refused"/> for a token reason.</summary>
    public TokenRefusal TokenRefusal { get; init; }

    /// <summary>The token's id when it was accepted.</summary>
    public string? TokenId { get; init; }

    /// <summary>The canary's outcome when a canary ran.</summary>
    public CanaryOutcome? Canary { get; init; }

    /// <summary>True when the candidate was refused, promoted, or replaced by the known-good scheduler or EEVDF.</summary>
    public bool EndedSafe => Status is DeploymentStatus.Refused or DeploymentStatus.Promoted or DeploymentStatus.RolledBack;

    /// <inheritdoc />
    public override string ToString() => Remedy.Length == 0 ? $"{Status}: {Reason} (now running {Running}, {Where})" : $"{Status}: {Reason} {Remedy} (now running {Running}, {Where})";
}
