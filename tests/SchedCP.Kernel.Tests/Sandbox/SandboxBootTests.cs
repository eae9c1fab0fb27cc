using System.Diagnostics;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Tests.Sandbox;

[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class SandboxBootTests(ITestOutputHelper output)
{
    [SandboxFact]
    public async Task Guest_boots_the_sched_ext_kernel_runs_the_job_and_powers_off()
    {
        var runner = TestSandbox.Runner(output);
        var job = new SandboxJob("boot", """
            uname -r > out/uname.txt
            cat /sys/kernel/sched_ext/state > out/state.txt
            nproc > out/nproc.txt
            touch /etc/schedcp-should-fail 2> out/rootfs-write.txt && echo writable >> out/rootfs-write.txt
            echo done
            """);

        var result = await runner.RunAsync(job);

        Assert.True(result.Succeeded, result.ToString() + "\n" + string.Join('\n', result.ConsoleTail));
        Assert.StartsWith("6.12.", result.ReadOutput("uname.txt"), StringComparison.Ordinal);
        Assert.Equal("disabled", result.ReadOutput("state.txt")?.Trim());
        Assert.Equal("2", result.ReadOutput("nproc.txt")?.Trim());
        Assert.DoesNotContain("writable", result.ReadOutput("rootfs-write.txt"), StringComparison.Ordinal);
        Assert.Contains("done", result.JobLog, StringComparison.Ordinal);
        Assert.NotNull(result.Timings.BootToReady);
        output.WriteLine($"boot-to-ready {result.Timings.BootToReady!.Value.TotalSeconds:F2} s, total {result.Timings.Total.TotalSeconds:F2} s");
    }

    [SandboxFact]
    public async Task Guest_exit_status_reaches_the_host()
    {
        var result = await TestSandbox.Runner(output).RunAsync(new SandboxJob("status", "exit 7"));

        Assert.Null(result.Failure);
        Assert.Equal(7, result.GuestExitCode);
        Assert.False(result.Succeeded);
    }

    [SandboxFact]
    public async Task Guest_that_hangs_is_killed_at_the_timeout_and_qemu_does_not_outlive_the_job()
    {
        var runner = TestSandbox.Runner(output, TestSandbox.Options(TimeSpan.FromSeconds(25)));
        var watch = Stopwatch.StartNew();

        var result = await runner.RunAsync(new SandboxJob("hang", "sleep 100000"));

        Assert.Equal(SandboxFailureKind.TimedOut, result.Failure?.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        Assert.Empty(QemuProcessesFor(result.JobDirectory));
    }

    [SandboxFact]
    public async Task Cancelled_job_kills_qemu()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var result = await TestSandbox.Runner(output).RunAsync(new SandboxJob("cancel", "sleep 100000"), cts.Token);

        Assert.Equal(SandboxFailureKind.Cancelled, result.Failure?.Kind);
        Assert.Empty(QemuProcessesFor(result.JobDirectory));
    }

    [SandboxFact]
    public async Task Kernel_image_that_is_not_a_kernel_fails_the_boot_with_a_typed_error()
    {
        var real = TestSandbox.Toolchain();
        var fake = Directory.CreateTempSubdirectory("schedcp-badkernel-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(fake, "bin"));
            await File.WriteAllTextAsync(Path.Combine(fake, "bzImage"), "this is not a kernel");
            File.Copy(real.Initramfs, Path.Combine(fake, "initramfs.cpio.gz"));
            File.Copy(real.LoaderPath, Path.Combine(fake, "bin", "schedcp-loader"));
            var options = TestSandbox.Options(TimeSpan.FromSeconds(30));
            options.ToolchainDirectory = fake;

            var result = await TestSandbox.Runner(output, options).RunAsync(new SandboxJob("badkernel", "true"));

            Assert.Equal(SandboxFailureKind.BootFailed, result.Failure?.Kind);
            output.WriteLine(result.Failure!.Message);
        }
        finally
        {
            Directory.Delete(fake, recursive: true);
        }
    }

    private static Process[] QemuProcessesFor(string jobDirectory) =>
        Process.GetProcessesByName("qemu-system-x86_64")
            .Where(p =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(jobDirectory, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .ToArray();
}
