using SchedCP.Agents.Runtime.Replay;
using SchedCP.Console.Replay;

namespace SchedCP.Console.Tests.Replay;

/// <summary>Stepping through a run recorded by the real runtime rebuilds its holders and FIFO queue at every step.</summary>
public sealed class RunTimelineTests
{
    [Fact]
    public async Task Stepping_to_the_grant_after_the_queue_shows_the_holder_and_the_waiters_in_order()
    {
        var (recorded, _) = await RecordedScenario.RecordAsync();
        var events = recorded.Events;
        var lastQueued = events.Select((e, i) => (e, i)).Last(x => x.e.Kind == RuntimeEventKinds.ClaimQueued).i;

        var state = RunTimeline.At(recorded, lastQueued + 1);

        Assert.Equal("editor", Assert.Single(state.Leases).Holder);
        Assert.Equal(["reviewer", "tester"], state.Waiters.Select(w => w.Holder));
        Assert.Contains(state.Agents, a => a.Key == "reviewer" && a.Value == "Waiting");
    }

    [Fact]
    public async Task At_the_end_no_lease_is_held_nobody_waits_and_every_agent_completed()
    {
        var (recorded, _) = await RecordedScenario.RecordAsync();

        var end = RunTimeline.At(recorded, int.MaxValue);

        Assert.Equal(recorded.Events.Count, end.Step);
        Assert.Empty(end.Leases);
        Assert.Empty(end.Waiters);
        Assert.All(end.Agents, a => Assert.Equal("Completed", a.Value));
        Assert.False(end.Diverged);
        Assert.Null(RunTimeline.At(recorded, -5).Current);
    }

    [Fact]
    public async Task A_replay_that_diverged_is_marked_from_the_divergent_event_on()
    {
        var (_, diverged) = await RecordedScenario.RecordAsync();

        var step = RunTimeline.DivergenceStep(diverged);

        Assert.NotNull(step);
        Assert.False(RunTimeline.At(diverged, step!.Value - 1).Diverged);
        Assert.True(RunTimeline.At(diverged, step.Value).Diverged);
        Assert.Equal(diverged.Divergence!.Sequence, RunTimeline.At(diverged, step.Value).Current!.Sequence);
    }
}
