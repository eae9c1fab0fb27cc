namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>Addresses an artifact. Derived from the artifact's content, so the same artifact always has the same id.</summary>
/// <param name="Value">The id text, e.g. "art-3f2a…".</param>
public readonly record struct ArtifactId(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
