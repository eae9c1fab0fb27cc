namespace SchedCP.Repository;

/// <summary>
/// A scheduling policy the repository can offer: what it is, what it is good and bad at, what it needs, how it is tuned
/// and where it is in its life. Full metadata; search returns <see cref="PolicySummary"/> instead.
/// </summary>
public sealed record SchedulerPolicy
{
    /// <summary>Unique name: the binary name for scx and kernel examples (<c>scx_rusty</c>), a short name for BPF objects (<c>vtime</c>).</summary>
    public required string Name { get; init; }

    /// <summary>How the policy is materialised and run.</summary>
    public required PolicyKind Kind { get; init; }

    /// <summary>What the policy does, in a few sentences.</summary>
    public required string Description { get; init; }

    /// <summary>The scheduling algorithm, in words (for example "weighted virtual-time fair queueing").</summary>
    public required string Algorithm { get; init; }

    /// <summary>Workloads the policy is meant for (for example "gaming", "kernel compilation").</summary>
    public IReadOnlyList<string> TargetWorkloads { get; init; } = [];

    /// <summary>Use cases as short tags (for example <c>desktop</c>, <c>server</c>, <c>batch</c>).</summary>
    public IReadOnlyList<string> UseCases { get; init; } = [];

    /// <summary>Notable properties (for example "per-LLC DSQs", "user-space load balancing").</summary>
    public IReadOnlyList<string> Characteristics { get; init; } = [];

    /// <summary>Known weaknesses and situations to avoid.</summary>
    public IReadOnlyList<string> Limitations { get; init; } = [];

    /// <summary>What the host must offer.</summary>
    public required PolicyRequirements Requirements { get; init; }

    /// <summary>The policy's version (upstream crate version for scx, a local counter for generated ones).</summary>
    public string Version { get; init; } = "1";

    /// <summary>The kernel ops name the scheduler registers (what <c>/sys/kernel/sched_ext/root/ops</c> starts with), when known.</summary>
    public string? OpsName { get; init; }

    /// <summary>The BPF C source, with its hash.</summary>
    public PolicyArtifact? Source { get; init; }

    /// <summary>The built BPF object, with its hash.</summary>
    public PolicyArtifact? BuiltObject { get; init; }

    /// <summary>Where the policy came from.</summary>
    public required PolicyProvenance Provenance { get; init; }

    /// <summary>Where the policy is in its life.</summary>
    public PolicyLifecycle Lifecycle { get; init; } = PolicyLifecycle.Candidate;

    /// <summary>The typed parameters the policy accepts; nothing else reaches its command line or <c>.rodata</c>.</summary>
    public IReadOnlyList<ParameterSchema> Parameters { get; init; } = [];

    /// <summary>Parameter sets for scx_loader-style modes.</summary>
    public IReadOnlyList<ModePreset> Presets { get; init; } = [];

    /// <summary>Names of the code primitives the policy is built from, when known.</summary>
    public IReadOnlyList<string> Primitives { get; init; } = [];

    /// <summary>Whether the policy is tuned through <c>.rodata</c> variables rather than command-line flags.</summary>
    public bool UsesRodata => Kind is PolicyKind.BpfObject or PolicyKind.Generated;

    /// <summary>Finds a parameter by name (ordinal).</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The schema, or <see langword="null"/>.</returns>
    public ParameterSchema? FindParameter(string name)
    {
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Projects the policy onto the few lines a search result shows.</summary>
    /// <param name="score">The search score to report.</param>
    /// <returns>The summary.</returns>
    public PolicySummary ToSummary(double score = 0)
    {
        var firstSentence = Description;
        var dot = Description.IndexOf(". ", StringComparison.Ordinal);
        if (dot > 0)
        {
            firstSentence = Description[..(dot + 1)];
        }

        return new PolicySummary(Name, Kind, Lifecycle, firstSentence, UseCases.Take(4).ToArray(), Parameters.Count, Presets.Select(p => p.Mode).ToArray(), score);
    }
}
