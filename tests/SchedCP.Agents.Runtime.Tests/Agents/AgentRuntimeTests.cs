using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Tests.Agents;

public sealed class AgentRuntimeTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static AgentBody Editor(string file, string line, bool yieldBetween = true) => async (ctx, _) =>
    {
        var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File(file))])).GetValueOrThrow();
        var current = ctx.ReadFile(file).GetValueOrThrow().Content;
        if (yieldBetween)
        {
            await ctx.YieldAsync();
        }

        ctx.WriteFile(file, current + line + "\n", lease.FencingToken).GetValueOrThrow();
        ctx.Release(lease);
    };

    [Fact]
    public async Task Agents_editing_one_file_are_serialised_and_no_edit_is_lost()
    {
        _workspace.Write("notes.txt", "start\n");
        using var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider());
        runtime.AddAgent("a", Editor("notes.txt", "from a"));
        runtime.AddAgent("b", Editor("notes.txt", "from b"));
        runtime.AddAgent("c", Editor("notes.txt", "from c"));

        var report = await runtime.RunAsync();

        Assert.All(report.Agents, a => Assert.Equal(AgentState.Completed, a.State));
        Assert.Equal("start\nfrom a\nfrom b\nfrom c\n", _workspace.Read("notes.txt"));
        Assert.Equal(3, runtime.Artifacts.List().Count(a => a.Kind == Artifacts.ArtifactKind.Diff));
    }

    [Fact]
    public async Task Replay_of_a_recorded_run_is_exact()
    {
        _workspace.Write("notes.txt", "start\n");
        var log = new InMemoryEventLog();
        using (var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider(), log))
        {
            runtime.AddAgent("a", Editor("notes.txt", "from a"));
            runtime.AddAgent("b", async (ctx, ct) =>
            {
                var n = ctx.NextRandom(100);
                var now = ctx.GetUtcNow();
                await Editor("notes.txt", $"from b {n} {now:O}")(ctx, ct);
            });
            await runtime.RunAsync();
        }

        var afterRecording = _workspace.Read("notes.txt");
        using var replay = AgentRuntime.ForReplay(_workspace.Options(), log.ReadAll());
        replay.AddAgent("a", Editor("notes.txt", "from a"));
        replay.AddAgent("b", async (ctx, ct) =>
        {
            var n = ctx.NextRandom(100);
            var now = ctx.GetUtcNow();
            await Editor("notes.txt", $"from b {n} {now:O}")(ctx, ct);
        });
        var report = await replay.RunAsync();

        Assert.Null(report.Divergence);
        Assert.Equal(log.ReadAll().Count, report.Events.Count);
        Assert.Equal(afterRecording, _workspace.Read("notes.txt")); // the replay did not touch the world
    }

    [Fact]
    public async Task Non_deterministic_agent_is_reported_at_the_event_where_it_diverged()
    {
        _workspace.Write("x.txt", "");
        var log = new InMemoryEventLog();
        using (var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider(), log))
        {
            runtime.AddAgent("a", Editor("x.txt", "one", yieldBetween: false));
            await runtime.RunAsync();
        }

        var recorded = log.ReadAll();
        var firstWrite = recorded.First(e => e.Kind == RuntimeEventKinds.ToolCall && e.Subject.StartsWith("write", StringComparison.Ordinal));

        using var replay = AgentRuntime.ForReplay(_workspace.Options(), recorded);
        replay.AddAgent("a", Editor("x.txt", "a different line", yieldBetween: false));
        var report = await replay.RunAsync();

        Assert.NotNull(report.Divergence);
        Assert.Equal(firstWrite.Sequence, report.Divergence.Sequence);
        Assert.Equal(firstWrite, report.Divergence.Expected);
        Assert.Contains("a different line", report.Divergence.Actual!.Input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_paused_past_its_lease_cannot_write_with_its_stale_token()
    {
        _workspace.Write("f.txt", "v0\n");
        var time = new FakeTimeProvider();
        using var runtime = new AgentRuntime(_workspace.Options(), time);
        RuntimeError? staleError = null;
        runtime.AddAgent("slow", async (ctx, _) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File("f.txt"))], TimeSpan.FromSeconds(5))).GetValueOrThrow();
            await ctx.YieldAsync();
            staleError = ctx.WriteFile("f.txt", "slow\n", lease.FencingToken).Failure;
        });
        runtime.AddAgent("fast", Editor("f.txt", "fast", yieldBetween: false));

        Assert.True(await runtime.StepAsync()); // slow claims
        runtime.Pause("slow");
        Assert.True(await runtime.StepAsync()); // fast queues behind slow
        time.Advance(TimeSpan.FromSeconds(6));  // slow's lease expires while it is paused
        Assert.Equal(1, runtime.Locks.ExpireDue());
        while (await runtime.StepAsync())
        {
        }

        runtime.Resume("slow");
        await runtime.RunAsync();

        Assert.Equal(RuntimeErrorCode.StaleFencingToken, staleError?.Kind);
        Assert.Equal("v0\nfast\n", _workspace.Read("f.txt"));
    }

    [Fact]
    public async Task Failed_agent_changes_are_rolled_back_before_its_leases_are_released()
    {
        _workspace.Write("f.txt", "original\n");
        using var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider());
        runtime.AddAgent("broken", async (ctx, _) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File("f.txt"))])).GetValueOrThrow();
            ctx.WriteFile("f.txt", "half done\n", lease.FencingToken).GetValueOrThrow();
            throw new InvalidOperationException("model produced garbage");
        });

        var report = await runtime.RunAsync();

        Assert.Equal(AgentState.Failed, report.Agents[0].State);
        Assert.Equal("original\n", _workspace.Read("f.txt"));
        Assert.Equal(Artifacts.ChangeSetStatus.Reverted, report.Agents[0].ChangeSet.Status);
        Assert.Empty(runtime.Locks.GetLeases());
    }

    [Fact]
    public async Task Failed_agent_changes_can_be_kept_for_review_and_reverted_later()
    {
        _workspace.Write("f.txt", "original\n");
        var options = _workspace.Options();
        options.FailedAgentChanges = FailedAgentChangePolicy.KeepForReview;
        using var runtime = new AgentRuntime(options, new FakeTimeProvider());
        runtime.AddAgent("broken", async (ctx, _) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File("f.txt"))])).GetValueOrThrow();
            ctx.WriteFile("f.txt", "half done\n", lease.FencingToken).GetValueOrThrow();
            throw new InvalidOperationException("boom");
        });

        var report = await runtime.RunAsync();
        var changes = report.Agents[0].ChangeSet;

        Assert.Equal("half done\n", _workspace.Read("f.txt"));
        Assert.Contains("+half done", changes.Review(), StringComparison.Ordinal);
        Assert.True(runtime.Tools.RevertChangeSet(changes).Succeeded);
        Assert.Equal("original\n", _workspace.Read("f.txt"));
    }

    [Fact]
    public async Task Terminating_a_waiting_agent_releases_its_claims()
    {
        using var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider());
        runtime.AddAgent("holder", async (ctx, _) =>
        {
            await ctx.ClaimAsync([Claim.Exclusive(ProcessResources.Test)]);
            await ctx.YieldAsync();
            await ctx.YieldAsync();
        });
        runtime.AddAgent("waiter", async (ctx, _) => await ctx.ClaimAsync([Claim.Exclusive(ProcessResources.Test)]));

        await runtime.StepAsync();
        await runtime.StepAsync();
        Assert.Single(runtime.Locks.GetWaiters());
        runtime.Terminate("waiter");
        var report = await runtime.RunAsync();

        Assert.Equal(AgentState.Terminated, report.Agents[1].State);
        Assert.Equal(AgentState.Completed, report.Agents[0].State);
        Assert.Empty(runtime.Locks.GetWaiters());
    }

    [Fact]
    public async Task Live_event_feed_sees_grants_as_they_happen()
    {
        using var runtime = new AgentRuntime(_workspace.Options(), new FakeTimeProvider());
        runtime.AddAgent("a", Editor("x.txt", "1", yieldBetween: false));
        var seen = new List<string>();
        var feed = runtime.WatchAsync();
        var watcher = Task.Run(async () =>
        {
            await foreach (var e in feed)
            {
                seen.Add(e.Kind);
            }
        });

        await runtime.RunAsync();
        await watcher;

        Assert.Contains(RuntimeEventKinds.LeaseGranted, seen);
        Assert.Contains(RuntimeEventKinds.ToolCall, seen);
    }

    [Fact]
    public void Invalid_options_fail_naming_the_field()
    {
        var error = Assert.Throws<ValidationException>(() => new AgentRuntime(new AgentRuntimeOptions { EventLogPath = null }));

        Assert.Contains("WorkspaceRoot", error.Message, StringComparison.Ordinal);
    }
}
