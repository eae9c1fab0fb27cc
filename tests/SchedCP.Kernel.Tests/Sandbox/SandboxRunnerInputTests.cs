using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Tests.Sandbox;

/// <summary>Bad input to the runner gives a typed failure that says what to do, without booting anything.</summary>
public sealed class SandboxRunnerInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-test-").FullName;

    [Fact]
    public async Task Missing_kernel_image_is_reported_as_an_incomplete_toolchain()
    {
        WriteToolchainFiles("initramfs.cpio.gz", "bin/schedcp-loader");
        var runner = new SandboxRunner(new SandboxOptions { ToolchainDirectory = _dir, WorkDirectory = _dir });

        var result = await runner.RunAsync(new SandboxJob("t", "true"));

        Assert.Equal(SandboxFailureKind.ToolchainMissing, result.Failure?.Kind);
        Assert.Contains("bzImage", result.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("build.sh toolchain", result.Failure.Remedy, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Qemu_that_is_not_installed_is_reported_with_the_package_to_install()
    {
        WriteToolchainFiles("bzImage", "initramfs.cpio.gz", "bin/schedcp-loader");
        var runner = new SandboxRunner(new SandboxOptions
        {
            ToolchainDirectory = _dir,
            WorkDirectory = _dir,
            QemuPath = "/nonexistent/qemu-system-x86_64",
        });

        var result = await runner.RunAsync(new SandboxJob("t", "true"));

        Assert.Equal(SandboxFailureKind.QemuNotInstalled, result.Failure?.Kind);
        Assert.Contains("qemu-system-x86", result.Failure!.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_file_that_does_not_exist_is_an_invalid_job()
    {
        WriteToolchainFiles("bzImage", "initramfs.cpio.gz", "bin/schedcp-loader");
        var runner = new SandboxRunner(new SandboxOptions { ToolchainDirectory = _dir, WorkDirectory = _dir });
        var job = new SandboxJob("t", "true").WithInput("a.bpf.o", Path.Combine(_dir, "missing.bpf.o"));

        var result = await runner.RunAsync(job);

        Assert.Equal(SandboxFailureKind.InvalidJob, result.Failure?.Kind);
        Assert.Contains("missing.bpf.o", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_name_that_escapes_the_job_folder_is_refused()
    {
        WriteToolchainFiles("bzImage", "initramfs.cpio.gz", "bin/schedcp-loader");
        var runner = new SandboxRunner(new SandboxOptions { ToolchainDirectory = _dir, WorkDirectory = _dir });
        var job = new SandboxJob("t", "true").WithInput("../../escape", Path.Combine(_dir, "bzImage"));

        var result = await runner.RunAsync(job);

        Assert.Equal(SandboxFailureKind.InvalidJob, result.Failure?.Kind);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Placeholder files where the runner looks for the toolchain: enough to get past the existence check.</summary>
    private void WriteToolchainFiles(params string[] names)
    {
        foreach (var f in names)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_dir, f))!);
            File.WriteAllText(Path.Combine(_dir, f), "x");
        }
    }
}
