namespace SchedCP.Agents;

/// <summary>
/// One scheduler to try: a repository policy with parameter values (reconfigure), or new BPF C source (revise or
/// generate). Parameters are validated against the policy's schema before anything runs.
/// </summary>
/// <param name="Label">A short unique label, e.g. <c>longjob slice=2ms</c>.</param>
/// <param name="PolicyName">The repository policy; for generated source, the name it will be registered under.</param>
/// <param name="Parameters">Parameter values by schema name.</param>
public sealed record CandidateSpec(string Label, string PolicyName, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>BPF C source for revised or generated schedulers; null for a reconfiguration.</summary>
    public string? Source { get; init; }

    /// <summary>For a revision: the repository policy whose source <see cref="Patch"/> was applied to; null otherwise.</summary>
    public string? Parent { get; init; }

    /// <summary>For a revision: the unified diff against <see cref="Parent"/>'s source that gave <see cref="Source"/>.</summary>
    public string? Patch { get; init; }

    /// <summary>For a scheduler composed from code primitives: their names; empty otherwise.</summary>
    public IReadOnlyList<string> Primitives { get; init; } = [];

    /// <summary>Why this candidate, in one line.</summary>
    public string Rationale { get; init; } = "";
}
