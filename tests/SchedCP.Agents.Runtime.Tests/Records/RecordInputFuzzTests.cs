using System.Text;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;

namespace SchedCP.Agents.Runtime.Tests.Records;

/// <summary>
/// Seeded random names and content (quotes, SQL, control characters, NUL, lone and paired surrogates, very long
/// text) through the artifact store and agent memory of every kind: each input is either refused with a typed error
/// or read back exactly; nothing throws and nothing else is stored.
/// </summary>
[Collection(LockStoreTests.Name)]
public sealed class RecordInputFuzzTests
{
    private static readonly string[] Plain =
    [
        "a", "Z", "0", " ", "/", "..", "'", "\"", "\\", "%", "_", "'; DROP TABLE runtime_records; --", "\u00e9", "\u4e2d", "\U0001F600",
        "\u200b", "{\"json\":1}", "art-", "@key",
    ];

    // Refused in names (control characters, lone surrogates, over-long) or anywhere (lone surrogates).
    private static readonly string[] Hostile = ["\0", "\n", "\t", "\u007f", "\ud800", "\udfff", new string('x', 1100)];

    public static TheoryData<string> Kinds => TestRecordState.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Random_names_and_content_are_stored_exactly_or_refused_with_a_typed_error(string kind)
    {
        using var state = new TestRecordState(kind);
        using var runtime = new AgentRuntime(state.Options());
        var random = new Random(20261206);
        var stored = new Dictionary<ArtifactId, Artifact>();
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        var refused = 0;
        for (var i = 0; i < 150; i++)
        {
            var artifact = Artifact.Create(ArtifactKind.Data, Text(random, 8), Text(random, 6), Text(random, 3), Text(random, 40), DateTimeOffset.UnixEpoch.AddSeconds(i));
            var added = runtime.Artifacts.TryAdd(artifact);
            if (added.Succeeded)
            {
                stored.TryAdd(artifact.Id, artifact);
                Assert.Equal(stored[artifact.Id], runtime.Artifacts.Get(artifact.Id).GetValueOrThrow());
            }
            else
            {
                Assert.Contains(added.Failure.Kind, new[] { RuntimeErrorCode.InvalidInput, RuntimeErrorCode.LimitExceeded });
                refused++;
            }

            var agentId = Text(random, 4);
            var summary = Text(random, 20);
            var changed = runtime.Memory.UpdateSummary(agentId, summary);
            if (changed.Succeeded)
            {
                summaries[agentId] = summary;
                Assert.Equal(summary, runtime.Memory.Get(agentId).Summary);
            }
            else
            {
                Assert.Contains(changed.Failure.Kind, new[] { RuntimeErrorCode.InvalidInput, RuntimeErrorCode.LimitExceeded });
            }
        }

        Assert.Equal(stored.Keys.Select(k => k.Value).Order(StringComparer.Ordinal), runtime.Artifacts.List().Select(a => a.Id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(summaries.OrderBy(s => s.Key, StringComparer.Ordinal), runtime.Memory.All().Select(m => KeyValuePair.Create(m.AgentId, m.Summary)));
        Assert.InRange(stored.Count, 10, 140);
        Assert.InRange(refused, 10, 140);
    }

    private static string Text(Random random, int pieces)
    {
        var text = new StringBuilder();
        var count = random.Next(pieces + 1);
        for (var i = 0; i < count; i++)
        {
            text.Append(random.Next(25) == 0 ? Hostile[random.Next(Hostile.Length)] : Plain[random.Next(Plain.Length)]);
        }

        return text.ToString();
    }
}
