using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

/// <summary>
/// A test that runs the built benchmark workloads. Off CI it is skipped, with the reason, when they are not built; in
/// CI (CI=true) it runs and fails with the build instruction.
/// </summary>
public sealed class WorkloadFactAttribute : FactAttribute
{
    public WorkloadFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !WorkloadBinaries.TryLocate(out _, out var failure))
        {
            Skip = failure.ToString();
        }
    }
}

internal static class TestWorkloads
{
    public static string Directory()
    {
        Assert.True(WorkloadBinaries.TryLocate(out var dir, out var failure), failure?.ToString());
        return dir;
    }
}
