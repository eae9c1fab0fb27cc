using System.Collections.Concurrent;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>Holds artifacts by id. Adding is idempotent; nothing is ever changed or removed.</summary>
public sealed class ArtifactStore
{
    private readonly ConcurrentDictionary<ArtifactId, Artifact> _artifacts = new();

    /// <summary>Stores an artifact (a second add of the same id keeps the first).</summary>
    /// <param name="artifact">The artifact.</param>
    /// <returns>The stored artifact.</returns>
    public Artifact Add(Artifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return _artifacts.GetOrAdd(artifact.Id, artifact);
    }

    /// <summary>Looks an artifact up.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The artifact, or <see cref="RuntimeErrorCode.ArtifactNotFound"/>.</returns>
    public Outcome<Artifact, RuntimeError> Get(ArtifactId id) =>
        _artifacts.TryGetValue(id, out var artifact)
            ? artifact
            : new RuntimeError(RuntimeErrorCode.ArtifactNotFound, $"No artifact has id '{id}': use an id returned by a publish or a tool call.");

    /// <summary>All artifacts, oldest first.</summary>
    /// <returns>The artifacts.</returns>
    public IReadOnlyList<Artifact> List() =>
        [.. _artifacts.Values.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id.Value, StringComparer.Ordinal)];
}
