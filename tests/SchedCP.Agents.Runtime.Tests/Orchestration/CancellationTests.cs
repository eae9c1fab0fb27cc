using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.DependencyInjection;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Agents.Runtime.Orchestration.Tasks;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class CancellationTests
{
    private static TaskDag Chain() => new TaskDagBuilder("chain")
        .Task("a", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
        .Task("b", t => t.After("a").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
        .Task("c", t => t.After("b").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
        .Task("d", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(1)))
        .Build().GetValueOrThrow();

    [Fact]
    public void Cancelling_a_running_task_frees_its_capacity_and_cancels_what_depends_on_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var orchestrator = new DagOrchestrator([new LocalPool("local", cpu: 1, memoryGb: 4)], new OrchestratorOptions(), clock);
        orchestrator.Submit(Chain()).GetValueOrThrow();
        var first = orchestrator.Tick();
        var (started, _) = Assert.Single(first.Placements);
        orchestrator.MarkStarted(started).GetValueOrThrow();

        var cancelled = orchestrator.Cancel(started, "operator stopped it").GetValueOrThrow();

        Assert.Equal(TaskState.Cancelled, cancelled.To);
        var other = started == "a" ? "d" : "a";
        Assert.Single(orchestrator.Tick().Placements, p => p.Item1 == other);
        if (started == "a")
        {
            Assert.Equal(TaskState.Cancelled, orchestrator.GetTask("b")!.State);
            Assert.Equal(TaskState.Cancelled, orchestrator.GetTask("c")!.State);
            Assert.Contains("was cancelled", orchestrator.GetTask("b")!.History[^1].Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_task_that_ended_cannot_be_cancelled_and_an_unknown_one_is_named()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var orchestrator = new DagOrchestrator([new LocalPool("local", cpu: 2, memoryGb: 4)], new OrchestratorOptions(), clock);
        orchestrator.Submit(Chain()).GetValueOrThrow();
        foreach (var (id, _) in orchestrator.Tick().Placements)
        {
            orchestrator.MarkStarted(id).GetValueOrThrow();
            orchestrator.MarkCompleted(id).GetValueOrThrow();
        }

        var ended = orchestrator.Cancel("d", "too late");
        var unknown = orchestrator.Cancel("zzz", "typo");

        Assert.Equal(RuntimeErrorCode.InvalidState, ended.Failure!.Kind);
        Assert.Equal(RuntimeErrorCode.NotFound, unknown.Failure!.Kind);
        Assert.Contains("zzz", unknown.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_orchestrator_resolves_from_di_over_the_registered_pools()
    {
        var services = new ServiceCollection();
        services.AddSchedCPAgentRuntime()
            .AddResourcePool(new LocalPool("local", cpu: 4, memoryGb: 8))
            .AddDagOrchestrator(o => o.TickInterval = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        using var first = provider.GetRequiredService<DagOrchestrator>();
        using var second = provider.GetRequiredService<DagOrchestrator>();

        Assert.NotSame(first, second);
        Assert.Equal("local", Assert.Single(first.Pools).Id);
        Assert.Equal(TimeSpan.FromSeconds(5), first.Options.TickInterval);
    }
}
