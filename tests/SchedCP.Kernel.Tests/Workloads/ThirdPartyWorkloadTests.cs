using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

public sealed class ThirdPartyWorkloadTests
{
    [Fact]
    public void Every_name_gives_a_command_workload_and_an_unknown_one_gives_none()
    {
        Assert.All(ThirdPartyWorkloads.Names, n => Assert.True(ThirdPartyWorkloads.For(n)!.IsCommand));
        Assert.Null(ThirdPartyWorkloads.For("nosuch"));
    }

    [Fact]
    public void The_xz_batch_puts_its_large_input_where_asked()
    {
        var script = ThirdPartyWorkloads.XzBatch(smallFiles: 4, largeAt: 2).Arguments[^1];

        Assert.Contains("for f in $d/small $d/small $d/large $d/small $d/small;", script, StringComparison.Ordinal);
    }

    [WorkloadFact]
    public async Task The_xz_batch_and_hackbench_run_through_runcmd_with_a_makespan()
    {
        var runner = new WorkloadRunner(TestWorkloads.Directory());
        foreach (var workload in new[] { ThirdPartyWorkloads.XzBatch(smallFiles: 3), ThirdPartyWorkloads.Hackbench(groups: 1, loops: 20) })
        {
            var run = await runner.RunOnHostAsync(workload);

            Assert.True(run.Succeeded, $"{workload}: {run.Failure}");
            Assert.True(run.Result!.MakespanMs > 0);
        }
    }
}
