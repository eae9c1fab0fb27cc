namespace SchedCP.Packaging.Tests;

/// <summary>
/// A packaging test that boots the sched_ext sandbox through the packages. Off CI it is skipped, with the reason, when
/// no toolchain was built into the user's cache; in CI (CI=true) it always runs, so a missing sandbox fails loudly.
/// This project references no SchedCP assembly, so it reads the cache pointer the toolchain build writes.
/// </summary>
public sealed class PackagedSandboxFactAttribute : FactAttribute
{
    public PackagedSandboxFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var cache = Environment.GetEnvironmentVariable("SCHEDCP_CACHE") is { Length: > 0 } c
            ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "schedcp");
        var built = Environment.GetEnvironmentVariable("SCHEDCP_TOOLCHAIN") is { Length: > 0 }
            || File.Exists(Path.Combine(cache, "toolchain", "current.path"));
        if (!inCi && !built)
        {
            Skip = "sandbox toolchain not built here; run ./build.sh toolchain (or schedcp setup)";
        }
    }
}
