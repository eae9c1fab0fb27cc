namespace SchedCP.Kernel.Tests.Bpf;

/// <summary>
/// A test on the sandbox guest kernel's BTF. Off CI it is skipped, with the reason, when the toolchain is not built; in
/// CI (CI=true) it always runs, so a missing toolchain fails.
/// </summary>
public sealed class GuestBtfFactAttribute : FactAttribute
{
    public GuestBtfFactAttribute()
    {
        if (!KernelBtfFiles.InCi && KernelBtfFiles.GuestBtf() is null)
        {
            Skip = "guest kernel BTF not built here (no toolchain with vmlinux.btf); run ./build.sh toolchain";
        }
    }
}

/// <summary>A test on the project's compiled BPF objects (bpf/build/*.bpf.o): skipped off CI when none are built, failing in CI.</summary>
public sealed class BpfObjectsFactAttribute : FactAttribute
{
    public BpfObjectsFactAttribute()
    {
        if (!KernelBtfFiles.InCi && KernelBtfFiles.BpfObjects().Count == 0)
        {
            Skip = "no bpf/build/*.bpf.o here; build the BPF programs first";
        }
    }
}

/// <summary>A test on this host's kernel BTF: skipped when the kernel exposes none.</summary>
public sealed class HostBtfFactAttribute : FactAttribute
{
    public HostBtfFactAttribute()
    {
        if (!File.Exists(KernelBtfFiles.HostVmlinux))
        {
            Skip = $"{KernelBtfFiles.HostVmlinux} does not exist (kernel built without CONFIG_DEBUG_INFO_BTF)";
        }
    }
}

internal static class KernelBtfFiles
{
    public const string HostVmlinux = "/sys/kernel/btf/vmlinux";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The guest kernel's raw BTF in the sandbox toolchain (SCHEDCP_TOOLCHAIN, else the cache's current.path), or null.</summary>
    public static string? GuestBtf()
    {
        var directory = Environment.GetEnvironmentVariable("SCHEDCP_TOOLCHAIN");
        if (string.IsNullOrWhiteSpace(directory))
        {
            var cache = Environment.GetEnvironmentVariable("SCHEDCP_CACHE")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "schedcp");
            var pointer = Path.Combine(cache, "toolchain", "current.path");
            directory = File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : null;
        }

        var btf = string.IsNullOrWhiteSpace(directory) ? null : Path.Combine(directory, "vmlinux.btf");
        return btf is not null && File.Exists(btf) ? btf : null;
    }

    public static IReadOnlyList<string> BpfObjects()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SchedCP.Sdk.sln")))
            {
                var build = Path.Combine(dir.FullName, "bpf", "build");
                return Directory.Exists(build) ? Directory.GetFiles(build, "*.bpf.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [];
            }
        }

        return [];
    }
}
