using SchedCP.Kernel.Sandbox;
using Xunit;

namespace SchedCP.Testing;

/// <summary>
/// A test that boots the sched_ext sandbox. Off CI it is skipped, with the reason, when no toolchain is built;
/// in CI (CI=true) it always runs, so a missing sandbox fails with the toolchain's own message.
/// </summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    /// <summary>Decides at discovery whether the test runs or is skipped with a reason.</summary>
    public SandboxFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !SandboxToolchain.TryLocate(null, out _, out var failure))
        {
            Skip = $"sandbox not built here ({failure!.Message}); run ./build.sh toolchain";
        }
    }
}
