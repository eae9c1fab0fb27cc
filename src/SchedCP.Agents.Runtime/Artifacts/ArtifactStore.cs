using System.Text.Json;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>
/// Holds artifacts by id, in memory or in a <see cref="RuntimeRecordStore"/> shared with other processes. Adding is
/// idempotent; nothing is ever changed or removed. Content and names are bounded before they are stored.
/// </summary>
public sealed class ArtifactStore
{
    /// <summary>The default bound on an artifact's content: 16,000,000 UTF-16 chars.</summary>
    public const int DefaultMaxContentChars = 16_000_000;

    private const string Collection = "artifact";
    private readonly RuntimeRecordStore _records;
    private readonly int _maxContentChars;

    /// <summary>Creates a store in this process's memory.</summary>
    public ArtifactStore()
        : this(RuntimeRecordStore.InMemory())
    {
    }

    /// <summary>Creates a store over <paramref name="records"/> (which the caller disposes).</summary>
    /// <param name="records">Where artifacts are kept.</param>
    /// <param name="maxContentChars">The longest content accepted; default <see cref="DefaultMaxContentChars"/>.</param>
    public ArtifactStore(RuntimeRecordStore records, int maxContentChars = DefaultMaxContentChars)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxContentChars);
        _records = records;
        _maxContentChars = maxContentChars;
    }

    /// <summary>Stores an artifact (a second add of the same id keeps the first).</summary>
    /// <param name="artifact">The artifact.</param>
    /// <returns>The stored artifact.</returns>
    /// <exception cref="ArgumentException">The artifact is too large or holds malformed text (<see cref="TryAdd"/> returns that as a value).</exception>
    public Artifact Add(Artifact artifact)
    {
        var added = TryAdd(artifact);
        return added.Succeeded ? added.Value! : throw new ArgumentException(added.Failure!.Describe(), nameof(artifact));
    }

    /// <summary>Stores an artifact (a second add of the same id keeps the first), or says why it cannot.</summary>
    /// <param name="artifact">The artifact.</param>
    /// <returns>The stored artifact; <see cref="RuntimeErrorCode.LimitExceeded"/> for content or names over the bounds; <see cref="RuntimeErrorCode.InvalidInput"/> for malformed text.</returns>
    public Outcome<Artifact, RuntimeError> TryAdd(Artifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var invalid = RecordInput.CheckName("artifact id", artifact.Id.Value)
            ?? RecordInput.CheckName("producerId", artifact.ProducerId)
            ?? RecordInput.CheckName("subject", artifact.Subject, allowEmpty: true)
            ?? RecordInput.CheckName("mediaType", artifact.MediaType, allowEmpty: true)
            ?? RecordInput.CheckText("content", artifact.Content, _maxContentChars);
        if (invalid is not null)
        {
            return invalid;
        }

        var stored = _records.Update(Collection, artifact.Id.Value, current => current ?? JsonSerializer.Serialize(artifact, RecordInput.Json));
        return Read(stored);
    }

    /// <summary>Looks an artifact up.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The artifact, or <see cref="RuntimeErrorCode.ArtifactNotFound"/>.</returns>
    public Outcome<Artifact, RuntimeError> Get(ArtifactId id) =>
        RecordInput.CheckName("artifact id", id.Value) is null && _records.Get(Collection, id.Value) is { } document
            ? Read(document)
            : new RuntimeError(RuntimeErrorCode.ArtifactNotFound, $"No artifact has id '{id}': use an id returned by a publish or a tool call.");

    /// <summary>All artifacts, oldest first.</summary>
    /// <returns>The artifacts.</returns>
    public IReadOnlyList<Artifact> List() =>
        [.. _records.List(Collection).Select(Read).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id.Value, StringComparer.Ordinal)];

    private static Artifact Read(string document) =>
        JsonSerializer.Deserialize<Artifact>(document, RecordInput.Json) ?? throw new InvalidDataException("An artifact record is empty.");
}
