using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Tests.Records;

/// <summary>Run records (state, failure, change set) behave the same in every store; shared ones are seen by runtimes started later.</summary>
[Collection(LockStoreTests.Name)]
public sealed class AgentRunHistoryContractTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static TheoryData<string> Kinds => TestRecordState.Kinds;

    public static TheoryData<string> SharedKinds => TestRecordState.SharedKinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_run_is_recorded_with_its_final_state_and_change_set(string kind)
    {
        using var state = new TestRecordState(kind);
        using var runtime = new AgentRuntime(state.Options());
        runtime.AddAgent("coder", WriteNotes("done")).GetValueOrThrow();
        runtime.AddAgent("breaker", async (ctx, _) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File("half.txt"))])).GetValueOrThrow();
            ctx.WriteFile("half.txt", "half", lease.FencingToken).GetValueOrThrow();
            throw new InvalidOperationException("gave up");
        }).GetValueOrThrow();

        await runtime.RunAsync().WaitAsync(Patience);

        var runs = runtime.Runs.ForRuntime(runtime.RuntimeId).ToDictionary(r => r.AgentId);
        Assert.Equal(AgentState.Completed, runs["coder"].State);
        Assert.Equal(ChangeSetStatus.Applied, runs["coder"].ChangeSetStatus);
        var change = Assert.Single(runs["coder"].Changes);
        Assert.Equal(("notes-coder.txt", "done"), (change.Path, change.After));
        Assert.True(runtime.Artifacts.Get(change.DiffArtifactId).Succeeded);
        Assert.Equal(AgentState.Failed, runs["breaker"].State);
        Assert.Equal("gave up", runs["breaker"].FailureReason);
        Assert.Equal(ChangeSetStatus.Reverted, runs["breaker"].ChangeSetStatus);
        Assert.Equal(2, runtime.Runs.List().Count);
    }

    [Theory]
    [MemberData(nameof(SharedKinds))]
    public async Task A_runtime_started_later_on_the_same_state_sees_the_earlier_runs_artifacts_and_memory(string kind)
    {
        using var state = new TestRecordState(kind);
        string firstId;
        ArtifactId published = default;
        using (var first = new AgentRuntime(state.Options()))
        {
            firstId = first.RuntimeId;
            first.AddAgent("coder", async (ctx, ct) =>
            {
                await WriteNotes("kept")(ctx, ct);
                published = ctx.PublishArtifact(ArtifactKind.Message, "summary", "text/plain", "all done");
                ctx.Memory.UpdateSummary(ctx.AgentId, "finished the notes").GetValueOrThrow();
            }).GetValueOrThrow();
            await first.RunAsync().WaitAsync(Patience);
        }

        using var second = new AgentRuntime(state.Options());
        Assert.NotEqual(firstId, second.RuntimeId);
        var run = Assert.Single(second.Runs.ForRuntime(firstId));
        Assert.Equal((AgentState.Completed, "kept"), (run.State, Assert.Single(run.Changes).After));
        Assert.Equal("all done", second.Artifacts.Get(published).GetValueOrThrow().Content);
        Assert.Equal(2, second.Artifacts.List().Count);
        Assert.Equal("finished the notes", second.Memory.Get("coder").Summary);
        Assert.Empty(second.Agents);
    }

    private static AgentBody WriteNotes(string content) => async (ctx, _) =>
    {
        var path = $"notes-{ctx.AgentId}.txt";
        var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File(path))])).GetValueOrThrow();
        ctx.WriteFile(path, content, lease.FencingToken).GetValueOrThrow();
        ctx.Release(lease).GetValueOrThrow();
    };
}
