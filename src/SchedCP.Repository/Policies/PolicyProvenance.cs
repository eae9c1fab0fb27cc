namespace SchedCP.Repository;

/// <summary>Where a policy came from and, for a generated one, which run produced it.</summary>
/// <param name="Origin">Built-in, imported or generated.</param>
/// <param name="RunId">The optimisation run that generated the policy; <see langword="null"/> unless <paramref name="Origin"/> is <see cref="PolicyOrigin.Generated"/>.</param>
/// <param name="Author">Free description of the author (an agent role and model, a person, a catalog).</param>
public sealed record PolicyProvenance(PolicyOrigin Origin, string? RunId = null, string? Author = null)
{
    /// <summary>The provenance of catalog entries shipped with the package.</summary>
    public static PolicyProvenance BuiltIn { get; } = new(PolicyOrigin.BuiltIn, null, "SchedCP built-in catalog");
}
