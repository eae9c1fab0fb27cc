using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class TickLoopTests
{
    [Fact]
    public async Task Completions_drive_the_next_tick_without_waiting_for_the_interval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var orchestrator = new DagOrchestrator([new LocalPool("local", cpu: 1, memoryGb: 4)], new OrchestratorOptions { TickInterval = TimeSpan.FromHours(1) }, clock);
        var dag = new TaskDagBuilder("chain")
            .Task("a", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
            .Task("b", t => t.After("a").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
            .Task("c", t => t.After("b").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
            .Build().GetValueOrThrow();
        orchestrator.Submit(dag).GetValueOrThrow();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await orchestrator.RunAsync((report, _) =>
        {
            foreach (var (taskId, _) in report.Placements)
            {
                orchestrator.MarkStarted(taskId).GetValueOrThrow();
                orchestrator.MarkCompleted(taskId).GetValueOrThrow();
            }

            return ValueTask.CompletedTask;
        }, timeout.Token);

        // The fake clock never moved, so only completions can have driven ticks 2 and 3.
        Assert.True(orchestrator.IsFinished);
        Assert.Equal(3, orchestrator.TickCount);
    }

    [Fact]
    public async Task Without_completions_the_loop_ticks_on_the_interval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var orchestrator = new DagOrchestrator([new LocalPool("local", cpu: 1, memoryGb: 4)], new OrchestratorOptions { TickInterval = TimeSpan.FromSeconds(30) }, clock);
        orchestrator.Submit(new TaskDagBuilder("one").Task("a", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1))).Build().GetValueOrThrow()).GetValueOrThrow();
        var ticks = 0;
        using var stop = new CancellationTokenSource();
        var loop = orchestrator.RunAsync((_, _) =>
        {
            if (++ticks == 3)
            {
                stop.Cancel();
            }

            return ValueTask.CompletedTask;
        }, stop.Token);

        for (var i = 0; i < 50 && !loop.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(10);
        }

        await loop;
        Assert.Equal(3, ticks);
    }
}
