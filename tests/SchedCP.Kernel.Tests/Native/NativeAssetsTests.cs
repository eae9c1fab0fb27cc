using SchedCP.Kernel.Native;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Tests.Native;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NativeAssetsTests : IDisposable
{
    private readonly string _app = Directory.CreateTempSubdirectory("schedcp-app-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("schedcp-cache-").FullName;

    public void Dispose()
    {
        Directory.Delete(_app, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public void An_application_without_packaged_assets_has_none()
    {
        Assert.Null(NativeAssets.PackagedRoot(_app));
        Assert.Null(NativeAssets.BpfDirectory(_app));
        Assert.Null(NativeAssets.KitDirectory(_app));
        Assert.Null(NativeAssets.ExecutableWorkloadsDirectory(_app, _cache));
    }

    [Fact]
    public void Workloads_that_lost_their_execute_bits_are_copied_once_into_the_cache_as_executables()
    {
        var workloads = Directory.CreateDirectory(Path.Combine(_app, NativeAssets.RelativeRoot, "workloads")).FullName;
        foreach (var name in new[] { "longtail", "wakeup" })
        {
            var file = Path.Combine(workloads, name);
            File.WriteAllText(file, "#!/bin/sh\necho " + name + "\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var first = NativeAssets.ExecutableWorkloadsDirectory(_app, _cache);
        var second = NativeAssets.ExecutableWorkloadsDirectory(_app, _cache);

        Assert.NotNull(first);
        Assert.StartsWith(_cache, first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.All(Directory.GetFiles(first), f => Assert.True((File.GetUnixFileMode(f) & UnixFileMode.UserExecute) != 0, f));
        Assert.Equal("#!/bin/sh\necho wakeup\n", File.ReadAllText(Path.Combine(first, "wakeup")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(Path.GetDirectoryName(first)!)!, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Changed_workloads_get_a_fresh_copy_not_the_stale_one()
    {
        var workloads = Directory.CreateDirectory(Path.Combine(_app, NativeAssets.RelativeRoot, "workloads")).FullName;
        var file = Path.Combine(workloads, "longtail");
        File.WriteAllText(file, "v1");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var v1 = NativeAssets.ExecutableWorkloadsDirectory(_app, _cache);

        File.WriteAllText(file, "v2");
        var v2 = NativeAssets.ExecutableWorkloadsDirectory(_app, _cache);

        Assert.NotEqual(v1, v2);
        Assert.Equal("v2", File.ReadAllText(Path.Combine(v2!, "longtail")));
    }

    [Fact]
    public void The_kit_counts_only_when_its_build_script_is_there()
    {
        var kit = Directory.CreateDirectory(Path.Combine(_app, NativeAssets.RelativeRoot, "kit", "native")).FullName;
        Assert.Null(NativeAssets.KitDirectory(_app));

        File.WriteAllText(Path.Combine(kit, "build-toolchain.sh"), "exit 0\n");

        Assert.Equal(Path.Combine(_app, NativeAssets.RelativeRoot, "kit"), NativeAssets.KitDirectory(_app));
    }

    [Fact]
    public void The_setup_check_names_every_requirement_and_a_remedy_for_each_one_missing()
    {
        var report = SandboxSetup.Check();

        Assert.Equal(["qemu", "clang", "toolchain", "bpf-schedulers", "workloads"], report.Items.Select(i => i.Name));
        Assert.All(report.Items.Where(i => !i.Ready), i => Assert.False(string.IsNullOrWhiteSpace(i.Remedy), i.Name));
        Assert.Equal(report.Items.All(i => i.Ready), report.Ready);
    }
}
