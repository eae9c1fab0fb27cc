using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class TaskLengthDistributionTests
{
    [Fact]
    public void Nearest_rank_percentiles_and_long_task_count()
    {
        var d = TaskLengthDistribution.Of([50, 50, 50, 50, 50, 50, 50, 50, 400, 400]);

        Assert.Equal(10, d.Count);
        Assert.Equal(50, d.P50);
        Assert.Equal(400, d.P90);
        Assert.Equal(400, d.Max);
        Assert.Equal(2, d.LongTasks);
        Assert.Equal(8, d.TailRatio);
    }

    [Fact]
    public void Empty_distribution_has_no_tail() => Assert.Equal(0, TaskLengthDistribution.Of([]).TailRatio);
}
