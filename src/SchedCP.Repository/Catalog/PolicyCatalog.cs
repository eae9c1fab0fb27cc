namespace SchedCP.Repository;

/// <summary>A set of policies and code primitives as stored in a catalog document (the built-in one is embedded in this package).</summary>
public sealed record PolicyCatalog
{
    /// <summary>The document format version; this package reads version 1.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The policies.</summary>
    public IReadOnlyList<SchedulerPolicy> Policies { get; init; } = [];

    /// <summary>The code primitives.</summary>
    public IReadOnlyList<CodePrimitive> Primitives { get; init; } = [];
}
