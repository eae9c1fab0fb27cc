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
    public async Task The_programs_that_print_their_kpi_run_on_the_host_and_it_is_read()
    {
        var runner = new WorkloadRunner(TestWorkloads.Directory());
        foreach (var workload in new[]
                 {
                     ThirdPartyWorkloads.Cyclictest(loops: 100), ThirdPartyWorkloads.StressNg(seconds: 1),
                     ThirdPartyWorkloads.SysbenchCpu(threads: 2, seconds: 1), ThirdPartyWorkloads.SysbenchThreads(seconds: 1),
                 })
        {
            if (!File.Exists("/usr/bin/" + workload.Arguments[0]) && workload.Arguments[0] != "sh")
            {
                continue;
            }

            var run = await runner.RunOnHostAsync(workload);

            Assert.True(run.Succeeded, $"{workload}: {run.Failure}");
            Assert.True(run.Result!.Get(workload.Kpi!.Metric) > 0, $"{workload}: {run.Result}");
        }
    }

    [WorkloadFact]
    public async Task The_parallel_build_compiles_the_kernel_kconfig_sources_or_says_the_source_is_missing()
    {
        var run = await new WorkloadRunner(TestWorkloads.Directory()).RunOnHostAsync(ThirdPartyWorkloads.MakeJobs(jobs: 2));

        if (Directory.Exists(Path.Combine(ThirdPartyWorkloads.DefaultLinuxSource(), "scripts", "kconfig")))
        {
            Assert.True(run.Succeeded, run.Failure?.ToString());
            Assert.True(run.Result!.MakespanMs > 0);
        }
        else
        {
            Assert.Equal(WorkloadFailureKind.ExitedNonZero, run.Failure!.Kind);
            Assert.Contains("no Linux source", run.Failure.Message, StringComparison.Ordinal);
        }
    }

    [WorkloadFact]
    public async Task A_kpi_the_output_lacks_is_a_typed_failure()
    {
        var workload = BenchmarkWorkload.Command("echo", ["Time: soon"]) with { Kpi = OutputKpi.Create("t", @"Time: ([0-9.]+)", SchedCP.Kernel.Analysis.KpiDirection.LowerIsBetter) };

        var run = await new WorkloadRunner(TestWorkloads.Directory()).RunOnHostAsync(workload);

        Assert.Equal(WorkloadFailureKind.KpiNotFound, run.Failure!.Kind);
    }

    [WorkloadFact]
    public async Task A_command_runs_in_its_directory_with_its_variables_taken_literally_and_its_printed_kpi_is_read()
    {
        var workload = BenchmarkWorkload.Command("sh", ["-c", "echo \"dir=$(pwd) v=$V\"; echo 'score: 42.5'"], "/tmp", new Dictionary<string, string> { ["V"] = "a b;$x" })
            with { Kpi = OutputKpi.Create("kpi", @"score: ([0-9.]+)", SchedCP.Kernel.Analysis.KpiDirection.HigherIsBetter) };

        var run = await new WorkloadRunner(TestWorkloads.Directory()).RunOnHostAsync(workload);

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal(42.5, run.Result!.Get("kpi"));
        Assert.Contains("dir=/tmp v=a b;$x", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative/dir", null)]
    [InlineData(null, "1X")]
    [InlineData(null, "A-B")]
    public void A_relative_directory_or_a_bad_variable_name_is_refused(string? dir, string? name)
    {
        var env = name is null ? null : new Dictionary<string, string> { [name] = "v" };

        Assert.Throws<ArgumentException>(() => BenchmarkWorkload.Command("true", [], dir, env));
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
