using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Orchestration.Memory;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class AgentMemoryTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Memory_kept_by_the_runtime_is_queryable_and_every_change_is_an_event()
    {
        var log = new InMemoryEventLog();
        using var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider(), log);
        runtime.AddAgent("orchestration", (ctx, ct) =>
        {
            ctx.Memory.UpdateSummary(ctx.AgentId, "scheduling loop running; waiting on the 120-task DAG").GetValueOrThrow();
            ctx.Memory.SetNextSteps(ctx.AgentId, [new("tune latency", StepPriority.Medium), new("consume planning DAG", StepPriority.Critical)]).GetValueOrThrow();
            ctx.Memory.LogInteraction(ctx.AgentId, "planning", "agreed the DAG JSON schema").GetValueOrThrow();
            ctx.Memory.LogInteraction(ctx.AgentId, "sub_scheduler", "assigned the state machine", withSubAgent: true).GetValueOrThrow();
            return Task.CompletedTask;
        }).GetValueOrThrow();
        runtime.AddAgent("planning", (ctx, ct) =>
        {
            ctx.Memory.LogInteraction(ctx.AgentId, "orchestration", "sent 120 tasks").GetValueOrThrow();
            return Task.CompletedTask;
        }).GetValueOrThrow();

        await runtime.RunAsync();

        var memory = runtime.Memory.Get("orchestration");
        Assert.StartsWith("scheduling loop running", memory.Summary, StringComparison.Ordinal);
        Assert.Equal("consume planning DAG", memory.NextSteps[0].Description);
        Assert.Equal(2, memory.Interactions.Count);
        Assert.True(memory.Interactions[1].WithSubAgent);
        Assert.Equal(["agreed the DAG JSON schema", "sent 120 tasks"], runtime.Memory.InteractionsBetween("orchestration", "planning").Select(i => i.Summary));
        Assert.Equal(5, log.ReadAll().Count(e => e.Kind == AgentMemoryStore.MemoryEventKind));
    }

    [Fact]
    public async Task Token_usage_is_counted_from_recorded_model_calls_and_replays_the_same()
    {
        var log = new InMemoryEventLog();
        using (var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider(), log, new UsageReportingModel()))
        {
            runtime.AddAgent("execution", async (ctx, ct) =>
            {
                await ctx.ChatClient!.GetResponseAsync("validate candidate 1", cancellationToken: ct);
                await ctx.ChatClient!.GetResponseAsync("validate candidate 2", cancellationToken: ct);
            }).GetValueOrThrow();
            await runtime.RunAsync();
            Assert.Equal(new TokenUsage(200, 60, 2), runtime.Memory.Get("execution").Tokens);
        }

        using var replay = AgentRuntime.ForReplay(_workspace.Options(), log.ReadAll());
        replay.AddAgent("execution", async (ctx, ct) =>
        {
            await ctx.ChatClient!.GetResponseAsync("validate candidate 1", cancellationToken: ct);
            await ctx.ChatClient!.GetResponseAsync("validate candidate 2", cancellationToken: ct);
        }).GetValueOrThrow();
        var report = await replay.RunAsync();

        Assert.Null(report.Divergence);
        Assert.Equal(260, replay.Memory.Get("execution").Tokens.Total);
    }

    [Fact]
    public void An_empty_summary_is_refused_with_what_to_write()
    {
        using var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider());
        var result = runtime.Memory.UpdateSummary("a", " ");
        Assert.Equal(RuntimeErrorCode.InvalidInput, result.Failure!.Kind);
        Assert.Equal(string.Empty, runtime.Memory.Get("a").Summary);
    }

    private sealed class UsageReportingModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 30 } });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
