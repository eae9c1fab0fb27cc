using Microsoft.Extensions.DependencyInjection;
using SchedCP.ControlPlane.Verification;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;
using SchedCP.Repository;

namespace SchedCP.Agents.Tests.Execution;

/// <summary>A submitted scheduler's name becomes a file name: a name that is not a plain identifier writes nothing anywhere.</summary>
public sealed class PolicyWorkbenchNameTests
{
    [Theory]
    [InlineData("../../../x")]
    [InlineData("/tmp/x")]
    [InlineData("vtime\n")]
    [InlineData("a/b")]
    public async Task A_name_that_is_not_a_plain_identifier_is_refused_and_nothing_is_written(string name)
    {
        using var repo = Observations.Repository();
        var work = Path.Combine(repo.Directory, "work", "deep");
        Directory.CreateDirectory(work);
        var before = Directory.GetFileSystemEntries(repo.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        using var services = new ServiceCollection().BuildServiceProvider();
        var workbench = new PolicyWorkbench(repo.Repository, new PolicyPromotion(repo.Repository, null, repo.Time), new SchedulerTrialRunner(new SandboxRunner(new SandboxOptions())), services,
            Microsoft.Extensions.Options.Options.Create(new ExecutionOptions { WorkDirectory = work }));

        var result = await workbench.VerifySourceAsync(name, "int x;", "hostile name", VerificationDepth.Static, "test");

        Assert.False(result.Report.Passed);
        Assert.Null(result.Stored);
        Assert.Equal("input", result.Report.FailedStage!.Stage);
        Assert.Contains("lower-case letter", result.Report.FailedStage.Errors.Single().Remedy, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(repo.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray());
        Assert.False(File.Exists(Path.Combine(repo.Directory, "x")));
    }
}
