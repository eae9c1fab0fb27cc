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
    public SandboxFactAttribute() => Skip = SandboxAvailability.SkipReason();
}

/// <summary>A theory that boots the sched_ext sandbox; skipped and run as <see cref="SandboxFactAttribute"/>.</summary>
public sealed class SandboxTheoryAttribute : TheoryAttribute
{
    /// <summary>Decides at discovery whether the theory runs or is skipped with a reason.</summary>
    public SandboxTheoryAttribute() => Skip = SandboxAvailability.SkipReason();
}

/// <summary>Whether the sandbox tests run here.</summary>
public static class SandboxAvailability
{
    /// <summary>Null when they run (always in CI); otherwise why they are skipped and how to build the sandbox.</summary>
    /// <returns>The skip reason, or null.</returns>
    public static string? SkipReason()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        return !inCi && !SandboxToolchain.TryLocate(null, out _, out var failure)
            ? $"sandbox not built here ({failure!.Message}); run ./build.sh toolchain"
            : null;
    }
}
