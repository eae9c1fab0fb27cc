using SchedCP.Verifier.Dynamic;

namespace SchedCP.Verifier.Tests.Dynamic;

public class DynamicRuleTests
{
    [Fact]
    public void Decide_is_better_only_beyond_k_spreads()
    {
        var (outcome, improvement, _) = PerformanceGateStage.Decide([100, 102, 98], [80, 81, 79], lowerIsBetter: true, k: 2, minRelative: 0.02);
        Assert.Equal(PerformanceOutcome.Better, outcome);
        Assert.Equal(0.2, improvement, 3);
        Assert.Equal(PerformanceOutcome.Equal, PerformanceGateStage.Decide([100, 110, 90], [95, 105, 85], true, 2, 0.02).Outcome);
        Assert.Equal(PerformanceOutcome.Worse, PerformanceGateStage.Decide([100, 101, 99], [130, 131, 129], true, 2, 0.02).Outcome);
        Assert.Equal(PerformanceOutcome.Better, PerformanceGateStage.Decide([1000, 1010], [1200, 1210], false, 2, 0.02).Outcome);
        Assert.Equal(PerformanceOutcome.Equal, PerformanceGateStage.Decide([100], [99], true, 2, 0.02).Outcome);
    }

    [Fact]
    public void Wait_analysis_finds_a_starved_task_and_idle_cpus_while_work_waits()
    {
        const string text = """
            task t=10.00 pid=7 100 0 1
            task t=10.00 pid=8 100 0 1
            cpu t=10.00 ncpu=2 cpu 100 0 0 100 0 0 0 0 0 0 procs_running 5
            task t=10.50 pid=7 200 400000000 2
            task t=10.50 pid=8 100 500000000 1
            cpu t=10.50 ncpu=2 cpu 150 0 0 150 0 0 0 0 0 0 procs_running 5
            task t=13.50 pid=7 900 400000000 3
            task t=13.50 pid=8 100 3500000000 1
            cpu t=13.50 ncpu=2 cpu 400 0 0 150 0 0 0 0 0 0 procs_running 2
            """;
        var a = TaskWaitAnalysis.Parse(text);
        Assert.Equal(2, a.Tasks);
        Assert.Equal(3, a.Samples);
        Assert.Equal(3.5, a.LongestNoProgress.TotalSeconds, 3);
        Assert.Equal(3.5, a.MaxRunDelay.TotalSeconds, 3);
        Assert.Equal(1, a.WaitingIntervals);
        Assert.Equal(0.5, a.MaxIdleWhileWaiting, 3);
    }

    [Fact]
    public void Wait_analysis_of_nothing_has_no_samples()
    {
        var a = TaskWaitAnalysis.Parse("");
        Assert.Equal(0, a.Tasks);
        Assert.Equal(TimeSpan.Zero, a.LongestNoProgress);
    }
}
