namespace SchedCP.Repository;

/// <summary>The whole repository as one JSON document, for export, import and backup.</summary>
public sealed record RepositorySnapshot
{
    /// <summary>The document format version; this package writes and reads version 1.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset ExportedAt { get; init; }

    /// <summary>Every policy, whatever its lifecycle.</summary>
    public IReadOnlyList<SchedulerPolicy> Policies { get; init; } = [];

    /// <summary>Verifier verdicts by policy name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<VerifierVerdict>> Verdicts { get; init; } = new Dictionary<string, IReadOnlyList<VerifierVerdict>>();

    /// <summary>Every recorded lifecycle change.</summary>
    public IReadOnlyList<LifecycleTransition> Transitions { get; init; } = [];

    /// <summary>Every workload profile.</summary>
    public IReadOnlyList<WorkloadProfile> Profiles { get; init; } = [];

    /// <summary>Every run.</summary>
    public IReadOnlyList<RunRecord> Runs { get; init; } = [];
}
