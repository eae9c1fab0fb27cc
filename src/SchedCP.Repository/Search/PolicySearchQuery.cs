namespace SchedCP.Repository;

/// <summary>A search over the repository: free text plus filters. Results are summaries; fetch details with <c>GetPolicyAsync</c>.</summary>
/// <param name="Text">What the workload needs, in words (for example "low latency gaming under background load").</param>
public sealed record PolicySearchQuery(string Text)
{
    /// <summary>How many results to return; the repository's default when <see langword="null"/>.</summary>
    public int? Limit { get; init; }

    /// <summary>Only these kinds; any kind when <see langword="null"/> or empty.</summary>
    public IReadOnlyList<PolicyKind>? Kinds { get; init; }

    /// <summary>Only these lifecycles; when <see langword="null"/>, everything except rejected and deprecated policies.</summary>
    public IReadOnlyList<PolicyLifecycle>? Lifecycles { get; init; }

    /// <summary>Only policies whose requirements this host meets; no filtering when <see langword="null"/>.</summary>
    public PolicyRequirementsContext? Host { get; init; }

    internal bool Accepts(SchedulerPolicy policy)
    {
        if (Kinds is { Count: > 0 } kinds && !kinds.Contains(policy.Kind))
        {
            return false;
        }

        var lifecycleOk = Lifecycles is { Count: > 0 } lifecycles
            ? lifecycles.Contains(policy.Lifecycle)
            : policy.Lifecycle is not (PolicyLifecycle.Rejected or PolicyLifecycle.Deprecated);
        return lifecycleOk && (Host is null || Host.Satisfies(policy.Requirements));
    }
}
