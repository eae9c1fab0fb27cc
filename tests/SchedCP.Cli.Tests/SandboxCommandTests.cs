using System.Text.Json;
using SchedCP.Testing;

namespace SchedCP.Cli.Tests;

/// <summary><c>schedcp sandbox run</c> boots the sched_ext guest and runs a catalog policy there with checked parameters.</summary>
[Trait("Category", "Sandbox")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SandboxCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SandboxFact]
    public async Task Sandbox_run_attaches_a_catalog_policy_with_its_parameters_and_detaches_cleanly()
    {
        var result = await Schedcp.RunAsync(_dir, "sandbox", "run", "vtime", "slice_ns=3000000", "--seconds", "1", "--threads", "2", "--json");
        Assert.True(result.ExitCode == 0, result.Out + result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("attached").GetBoolean());
        Assert.Equal("schedcp_vtime", json.RootElement.GetProperty("ops").GetString());
        Assert.False(json.RootElement.TryGetProperty("failure", out _));
    }

    [SandboxFact]
    public async Task Optimize_takes_any_static_program_and_compares_schedulers_on_its_makespan_against_eevdf()
    {
        // A user's batch job: a static executable that is not one of the built-in workloads by name.
        Assert.True(SchedCP.Kernel.Workloads.WorkloadBinaries.TryLocate(out var built, out var missing), missing?.ToString());
        var job = Path.Combine(_dir, "mybatch");
        File.Copy(Path.Combine(built, "longtail"), job);

        // The agents' lock table goes to a shared file, as several loops on one machine would use it.
        var state = Path.Combine(_dir, "runtime-state.db");
        var result = await Schedcp.RunAsync(_dir, "optimize", "--candidates", "2", "--repeats", "2", "--db", Path.Combine(_dir, "repo.db"), "--json", "--state", state,
            "--", job, "--short", "6", "--long", "1", "--short-ms", "20", "--long-ms", "150", "--name", "mb");

        Assert.True(result.ExitCode == 0, result.Out + result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("makespan_ms", root.GetProperty("kpi").GetString());
        Assert.Contains(root.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("status").GetString() == "measured");
        Assert.Contains("mb-long0", root.GetProperty("observation").GetProperty("longTaskNames").ToString(), StringComparison.Ordinal);
        Assert.True(new FileInfo(state).Length > 0, "the loop's claims went through the SQLite lock table");
    }

    [SandboxFact]
    public async Task Optimize_takes_a_python_batch_whose_tasks_share_one_name_and_finds_the_long_one_by_fork_order()
    {
        // A third-party interpreter (dynamically linked, from this machine's root) running a batch whose workers are
        // all 'python3' with one argv: only the kernel's fork order tells the long one apart.
        var job = Path.Combine(_dir, "pybatch");
        await File.WriteAllTextAsync(job, """
            #!/usr/bin/env python3
            import os, time
            def burn(seconds):
                end = time.thread_time() + seconds
                while time.thread_time() < end:
                    pass
            pids = []
            for i in range(8):
                pid = os.fork()
                if pid == 0:
                    burn(0.25 if i == 5 else 0.02)
                    os._exit(0)
                pids.append(pid)
            for pid in pids:
                os.waitpid(pid, 0)
            """);
        File.SetUnixFileMode(job, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await Schedcp.RunAsync(_dir, "optimize", "--candidates", "2", "--repeats", "2", "--db", Path.Combine(_dir, "repo.db"), "--json", "--", job);

        Assert.True(result.ExitCode == 0, result.Out + result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var observation = json.RootElement.GetProperty("observation");
        Assert.Equal("makespan_ms", json.RootElement.GetProperty("kpi").GetString());
        Assert.Contains(json.RootElement.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("status").GetString() == "measured");
        var longTasks = observation.GetProperty("longTasks");
        Assert.Equal("python3", longTasks.GetProperty("forkParent").GetString()); // env execs the interpreter: the comm is its name
        Assert.Equal([5], longTasks.GetProperty("forkIndices").EnumerateArray().Select(i => i.GetInt32()));
    }
}
