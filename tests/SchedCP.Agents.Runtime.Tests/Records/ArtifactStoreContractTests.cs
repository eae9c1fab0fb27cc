using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;

namespace SchedCP.Agents.Runtime.Tests.Records;

/// <summary>The artifact store behaves the same over every record store; the shared ones keep artifacts for the next opener.</summary>
[Collection(LockStoreTests.Name)]
public sealed class ArtifactStoreContractTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static TheoryData<string> Kinds => TestRecordState.Kinds;

    public static TheoryData<string> SharedKinds => TestRecordState.SharedKinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_added_artifact_is_read_back_whole_and_a_second_add_keeps_the_first(string kind)
    {
        using var state = new TestRecordState(kind);
        using var records = state.OpenStore();
        var store = new ArtifactStore(records);
        var first = Artifact.Create(ArtifactKind.Diff, "agent", "src/a.cs", "text/x-diff", "--- a\n+++ b\n", At);
        var again = first with { CreatedAt = At.AddHours(1) };

        Assert.Equal(first, store.Add(first));
        Assert.Equal(first, store.Add(again));
        var read = store.Get(first.Id).GetValueOrThrow();
        Assert.Equal(first, read);
        Assert.Equal(ArtifactKind.Diff, read.Kind);
        Assert.Equal([first], store.List());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Artifacts_are_listed_oldest_first_and_an_unknown_id_is_not_found(string kind)
    {
        using var state = new TestRecordState(kind);
        using var records = state.OpenStore();
        var store = new ArtifactStore(records);
        var late = store.Add(Artifact.Create(ArtifactKind.Message, "a", "plan", "text/plain", "late", At.AddMinutes(5)));
        var early = store.Add(Artifact.Create(ArtifactKind.Data, "b", "", "application/json", "{}", At));

        Assert.Equal([early, late], store.List());
        Assert.Equal(RuntimeErrorCode.ArtifactNotFound, store.Get(new ArtifactId("art-missing")).Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.ArtifactNotFound, store.Get(new ArtifactId("bad\0id")).Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.ArtifactNotFound, store.Get(default).Failure?.Kind);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Oversized_or_malformed_input_is_refused_with_a_typed_error_and_nothing_is_stored(string kind)
    {
        using var state = new TestRecordState(kind);
        using var records = state.OpenStore();
        var store = new ArtifactStore(records, maxContentChars: 100);

        var tooLarge = store.TryAdd(Artifact.Create(ArtifactKind.Data, "a", "s", "text/plain", new string('x', 101), At));
        Assert.Equal(RuntimeErrorCode.LimitExceeded, tooLarge.Failure?.Kind);
        Assert.Contains("at most 100", tooLarge.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(RuntimeErrorCode.LimitExceeded, store.TryAdd(Artifact.Create(ArtifactKind.Data, new string('p', RecordInput.MaxNameChars + 1), "s", "text/plain", "x", At)).Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.InvalidInput, store.TryAdd(Artifact.Create(ArtifactKind.Data, "a", "line\nbreak", "text/plain", "x", At)).Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.InvalidInput, store.TryAdd(Artifact.Create(ArtifactKind.Data, "a", "s", "text/plain", "lone \ud800 surrogate", At)).Failure?.Kind);
        Assert.Throws<ArgumentException>(() => store.Add(Artifact.Create(ArtifactKind.Data, "a", "s", "text/plain", new string('x', 101), At)));
        Assert.Empty(store.List());

        var exact = store.TryAdd(Artifact.Create(ArtifactKind.Data, "a", "s", "text/plain", new string('x', 100), At));
        Assert.True(exact.Succeeded);
    }

    [Theory]
    [MemberData(nameof(SharedKinds))]
    public void An_artifact_written_through_one_store_is_read_through_a_store_opened_later(string kind)
    {
        using var state = new TestRecordState(kind);
        var artifact = Artifact.Create(ArtifactKind.ProcessOutput, "runner", "process:bench", "text/plain", "ops/s 1234\n\u00e9\u4e2d\U0001F600\0end", At);
        using (var writer = state.OpenStore())
        {
            new ArtifactStore(writer).Add(artifact);
        }

        using var reader = state.OpenStore();
        Assert.Equal(artifact, new ArtifactStore(reader).Get(artifact.Id).GetValueOrThrow());
    }
}
