using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents.Tests;

/// <summary>A test that runs the native benchmark workloads on the host: in CI they must be built, elsewhere it skips with the reason.</summary>
public sealed class WorkloadsBuiltFactAttribute : FactAttribute
{
    public WorkloadsBuiltFactAttribute()
    {
        if (!WorkloadBinaries.TryLocate(out _, out var missing) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"{missing}";
        }
    }
}
