using SchedCP.Kernel.Sandbox;
using Xunit;

namespace SchedCP.Testing;

/// <summary>Needs clang and the sandbox toolchain's headers: in CI always runs; elsewhere skips with the reason when missing.</summary>
public sealed class BpfSourcesFactAttribute : FactAttribute
{
    /// <summary>Decides at discovery whether the test runs or is skipped with a reason.</summary>
    public BpfSourcesFactAttribute()
    {
        if (!SandboxToolchain.TryLocate(null, out _, out var missing) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = missing!.Message;
        }
    }
}
