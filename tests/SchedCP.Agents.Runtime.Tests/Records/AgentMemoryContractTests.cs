using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Orchestration.Memory;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;

namespace SchedCP.Agents.Runtime.Tests.Records;

/// <summary>Agent memory behaves the same in memory, in SQLite and in PostgreSQL; in the shared ones it outlives the runtime.</summary>
[Collection(LockStoreTests.Name)]
public sealed class AgentMemoryContractTests
{
    public static TheoryData<string> Kinds => TestRecordState.Kinds;

    public static TheoryData<string> SharedKinds => TestRecordState.SharedKinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Summary_steps_interactions_and_tokens_are_kept_per_agent(string kind)
    {
        using var state = new TestRecordState(kind);
        using var runtime = new AgentRuntime(state.Options());
        var memory = runtime.Memory;

        memory.UpdateSummary("planner", "splitting the work").GetValueOrThrow();
        memory.SetNextSteps("planner", [new NextStep("write tests"), new NextStep("fix the bug", StepPriority.High)]).GetValueOrThrow();
        memory.LogInteraction("planner", "coder", "handed over the plan", withSubAgent: true).GetValueOrThrow();
        memory.AddTokens("planner", 100, 20).GetValueOrThrow();
        memory.AddTokens("planner", 1, 2).GetValueOrThrow();
        memory.UpdateSummary("coder", "coding").GetValueOrThrow();

        var planner = memory.Get("planner");
        Assert.Equal("splitting the work", planner.Summary);
        Assert.Equal(["fix the bug", "write tests"], planner.NextSteps.Select(s => s.Description));
        Assert.Equal(StepPriority.High, planner.NextSteps[0].Priority);
        var interaction = Assert.Single(planner.Interactions);
        Assert.Equal(("coder", "handed over the plan", true), (interaction.OtherAgentId, interaction.Summary, interaction.WithSubAgent));
        Assert.Equal(new TokenUsage(101, 22, 2), planner.Tokens);
        Assert.Equal(["coder", "planner"], memory.All().Select(m => m.AgentId));
        Assert.Single(memory.InteractionsBetween("coder", "planner"));
        Assert.Equal(string.Empty, memory.Get("nobody").Summary);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Oversized_or_malformed_memory_input_is_refused_with_a_typed_error(string kind)
    {
        using var state = new TestRecordState(kind);
        using var runtime = new AgentRuntime(state.Options());
        var memory = runtime.Memory;

        Assert.Equal(RuntimeErrorCode.LimitExceeded, memory.UpdateSummary(new string('a', RecordInput.MaxNameChars + 1), "x").Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.InvalidInput, memory.UpdateSummary("tab\tbed", "x").Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.LimitExceeded, memory.UpdateSummary("a", new string('x', AgentMemoryStore.MaxTextChars + 1)).Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.InvalidInput, memory.UpdateSummary("a", "\udc00").Failure?.Kind);
        Assert.Equal(RuntimeErrorCode.InvalidInput, memory.LogInteraction("a", "other\0", "hello").Failure?.Kind);
        Assert.Empty(memory.All());
        Assert.Equal(RuntimeErrorCode.LimitExceeded, runtime.AddAgent(new string('a', RecordInput.MaxNameChars + 1), (_, _) => Task.CompletedTask).Failure?.Kind);
    }

    [Theory]
    [MemberData(nameof(SharedKinds))]
    public void A_runtime_started_later_on_the_same_state_continues_an_agents_memory(string kind)
    {
        using var state = new TestRecordState(kind);
        using (var first = new AgentRuntime(state.Options()))
        {
            first.Memory.UpdateSummary("planner", "halfway").GetValueOrThrow();
            first.Memory.AddTokens("planner", 10, 5).GetValueOrThrow();
        }

        using var second = new AgentRuntime(state.Options());
        Assert.Equal("halfway", second.Memory.Get("planner").Summary);
        Assert.Equal(new TokenUsage(20, 10, 2), second.Memory.AddTokens("planner", 10, 5).GetValueOrThrow().Tokens);
    }
}
