using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Tests.Workloads;

/// <summary>Any command as a workload: what the guest can run is checked before it is staged, and runcmd measures it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandWorkloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Script(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void A_dynamically_linked_program_runs_when_its_loader_is_here_and_is_refused_when_not()
    {
        // The guest's userland is this machine's root, so a dynamic program finds its loader and libraries there.
        Assert.Null(CommandWorkloadStaging.Check(Environment.ProcessPath!));

        var bytes = File.ReadAllBytes(Environment.ProcessPath!);
        var loader = System.Text.Encoding.ASCII.GetBytes("/lib64/ld-linux-x86-64.so.2");
        var at = bytes.AsSpan().IndexOf(loader);
        Assert.True(at > 0, "the test host's dotnet names the usual x86-64 loader");
        System.Text.Encoding.ASCII.GetBytes("/nonexistent/ld-linux.so.2\0").CopyTo(bytes, at);
        var foreign = Path.Combine(_dir, "foreign");
        File.WriteAllBytes(foreign, bytes);
        File.SetUnixFileMode(foreign, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var failure = CommandWorkloadStaging.Check(foreign);

        Assert.NotNull(failure);
        Assert.Equal(WorkloadFailureKind.CommandNotRunnable, failure.Kind);
        Assert.Contains("/nonexistent/ld-linux.so.2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-static", failure.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_need_an_interpreter_this_machine_has_and_files_must_exist_and_be_executable()
    {
        Assert.Null(CommandWorkloadStaging.Check(Script("ok.sh", "#!/bin/sh\ntrue\n")));
        Assert.Null(CommandWorkloadStaging.Check(Script("bash.sh", "#!/bin/bash\ntrue\n")));
        Assert.Null(CommandWorkloadStaging.Check(Script("env.sh", "#!/usr/bin/env sh\ntrue\n")));
        Assert.Contains("'/opt/none/python9'", CommandWorkloadStaging.Check(Script("py.sh", "#!/opt/none/python9\npass\n"))!.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install", CommandWorkloadStaging.Check(Script("envpy.sh", "#!/usr/bin/env no-such-interpreter-9\n"))!.Remedy, StringComparison.Ordinal);
        Assert.Contains("absolute interpreter", CommandWorkloadStaging.Check(Script("rel.sh", "#!sh\ntrue\n"))!.Remedy, StringComparison.Ordinal);
        Assert.Contains("does not exist", CommandWorkloadStaging.Check(Path.Combine(_dir, "nosuch"))!.Message, StringComparison.Ordinal);
        var plain = Path.Combine(_dir, "plain.sh");
        File.WriteAllText(plain, "#!/bin/sh\n");
        Assert.Contains("chmod +x", CommandWorkloadStaging.Check(plain)!.Remedy, StringComparison.Ordinal);
        Assert.Contains("neither an ELF", CommandWorkloadStaging.Check(Script("text", "hello\n"))!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_workload_takes_a_bare_program_name()
    {
        Assert.Throws<ArgumentException>(() => BenchmarkWorkload.Command("/usr/bin/make", []));
        var w = BenchmarkWorkload.Command("job.sh", ["-j", "2"]);
        Assert.True(w.IsCommand);
        Assert.Equal(["job.sh", "-j", "2"], w.Arguments);
    }

    [WorkloadFact]
    public async Task A_staged_script_runs_through_runcmd_with_its_makespan_and_cpu_time_and_a_failure_keeps_its_exit_code()
    {
        var job = Script("job.sh", "#!/bin/sh\ni=0\nwhile [ $i -lt 20000 ]; do i=$((i + 1)); done\necho done\n");
        Assert.True(CommandWorkloadStaging.TryStage(job, out var staged, out var failure, TestWorkloads.Directory()), failure?.ToString());
        var runner = new WorkloadRunner(staged);

        var run = await runner.RunOnHostAsync(BenchmarkWorkload.Command("job.sh", []));

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal("command", run.Result!.Workload);
        Assert.True(run.Result.Get("makespan_ms") > 0, run.Result.ToString());
        Assert.True(run.Result.Get("cpu_ms") > 0, run.Result.ToString());

        var bad = Script("bad.sh", "#!/bin/sh\necho broken >&2\nexit 3\n");
        Assert.True(CommandWorkloadStaging.TryStage(bad, out var stagedBad, out _, TestWorkloads.Directory()));
        var failed = await new WorkloadRunner(stagedBad).RunOnHostAsync(BenchmarkWorkload.Command("bad.sh", []));
        Assert.False(failed.Succeeded);
        Assert.Equal(WorkloadFailureKind.ExitedNonZero, failed.Failure!.Kind);
    }

    [WorkloadFact]
    public void A_program_named_like_a_built_in_workload_is_refused()
    {
        Assert.False(CommandWorkloadStaging.TryStage(Script("longtail", "#!/bin/sh\n"), out _, out var failure, TestWorkloads.Directory()));
        Assert.Contains("built-in workload", failure!.Message, StringComparison.Ordinal);
    }
}
