using SchedCP.Console.Feed;

namespace SchedCP.Console.Tests.Feed;

/// <summary>What the loop publishes is kept as the loop said it, bounded, and every report wakes the pages.</summary>
public sealed class ConsoleFeedTests
{
    [Fact]
    public async Task A_report_wakes_a_waiting_page_and_a_candidate_report_replaces_the_one_with_its_label()
    {
        using var feed = new ConsoleFeed();
        feed.LoopStarted("run-1", "longtail", "pending", false);
        var seen = feed.Version;
        var woken = feed.WaitForChangeAsync(seen, CancellationToken.None);

        feed.CandidateChanged("run-1", new CandidateView("fifo", "scx_simple", "planned", null, null, null, null));
        feed.CandidateChanged("run-1", new CandidateView("fifo", "scx_simple", "measured", 10, 8, CandidateView.Better, "20 % shorter"));

        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(5)) > seen);
        var candidate = Assert.Single(feed.Loop("run-1")!.Candidates);
        Assert.Equal(("measured", 0.8), (candidate.Status, candidate.Ratio!.Value));
    }

    [Fact]
    public void Starting_a_loop_again_once_the_metric_is_known_keeps_its_stages()
    {
        using var feed = new ConsoleFeed();
        feed.LoopStarted("run-1", "longtail", "pending", false);
        feed.StageChanged("run-1", new LoopStageView("observation", LoopStageStatus.Done, "observed"));

        feed.LoopStarted("run-1", "longtail", "makespan_ms", false);

        Assert.Equal("makespan_ms", feed.Loop("run-1")!.Metric);
        Assert.Single(feed.Loop("run-1")!.Stages);
    }

    [Fact]
    public void Reports_are_bounded_and_a_host_passing_a_bad_id_or_an_unstarted_loop_is_told_at_once()
    {
        using var feed = new ConsoleFeed();
        feed.LoopStarted("run-1", "w", "m", true);
        for (var i = 0; i < ConsoleFeed.MaxPerLoop + 10; i++)
        {
            feed.CandidateChanged("run-1", new CandidateView($"c{i}", "p", new string('s', 10_000), null, null, null, null));
        }

        Assert.Equal(ConsoleFeed.MaxPerLoop, feed.Loop("run-1")!.Candidates.Count);
        Assert.Equal(4096, feed.Loop("run-1")!.Candidates[0].Status.Length);
        Assert.Throws<ArgumentException>(() => feed.LoopStarted("../etc", "w", "m", true));
        Assert.Throws<InvalidOperationException>(() => feed.LoopFinished("never-started", "done"));
        for (var i = 0; i < ConsoleFeed.MaxLoops + 5; i++)
        {
            feed.LoopStarted($"loop-{i}", "w", "m", true);
        }

        Assert.Equal(ConsoleFeed.MaxLoops, feed.Loops.Count);
    }
}
