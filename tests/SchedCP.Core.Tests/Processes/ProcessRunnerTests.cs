using System.Globalization;
using SchedCP.Core.Processes;

namespace SchedCP.Core.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private static readonly ProcessRunner Runner = ProcessRunner.Default;

    [Fact]
    public async Task Exit_code_and_both_streams_come_back()
    {
        var result = await Runner.RunAsync(new ProcessRunRequest("/bin/sh") { Arguments = ["-c", "echo out; echo err >&2; exit 3"] });

        Assert.True(result.Started);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput.Text);
        Assert.Equal("err\n", result.StandardError.Text);
        Assert.False(result.StandardOutput.Truncated);
        Assert.False(result.TimedOut);
        Assert.False(result.Cancelled);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Lines_reach_the_callbacks_as_they_come_even_past_the_kept_cap()
    {
        var errors = new List<string>();
        var outputs = new List<string>();
        var result = await Runner.RunAsync(new ProcessRunRequest("/bin/sh")
        {
            Arguments = ["-c", "for i in 1 2 3 4 5; do echo step $i >&2; done; printf 'a\\r\\nb'"],
            MaxOutputBytes = 8,
            OnStandardErrorLine = errors.Add,
            OnStandardOutputLine = outputs.Add,
        });

        Assert.True(result.Succeeded);
        Assert.Equal(["step 1", "step 2", "step 3", "step 4", "step 5"], errors);
        Assert.True(result.StandardError.Truncated);
        // A carriage return before the newline is dropped; a last line without a newline still arrives.
        Assert.Equal(["a", "b"], outputs);
    }

    [Fact]
    public async Task Arguments_reach_the_process_verbatim_without_a_shell()
    {
        var tricky = "a b; echo injected $HOME 'q' \"d\"";
        var result = await Runner.RunAsync(new ProcessRunRequest("/usr/bin/printf") { Arguments = ["%s", tricky] });

        Assert.True(result.Succeeded);
        Assert.Equal(tricky, result.StandardOutput.Text);
    }

    [Fact]
    public async Task Timeout_kills_the_whole_tree_including_a_grandchild()
    {
        // sh is the child; the backgrounded sleep is its child, our grandchild. sh waits, so both outlive the limit.
        var result = await Runner.RunAsync(new ProcessRunRequest("/bin/sh")
        {
            Arguments = ["-c", "sleep 30 & echo $!; wait"],
            Timeout = TimeSpan.FromSeconds(1),
        });

        Assert.True(result.TimedOut);
        Assert.False(result.Cancelled);
        Assert.Equal(-1, result.ExitCode);
        var grandchild = int.Parse(result.StandardOutput.Text.Trim(), CultureInfo.InvariantCulture);
        AssertGone(grandchild);
        AssertGone(result.ProcessId);
    }

    [Fact]
    public async Task Cancellation_kills_the_tree_and_says_so()
    {
        using var cts = new CancellationTokenSource();
        var pid = 0;
        var run = Runner.RunAsync(new ProcessRunRequest("/bin/sh")
        {
            Arguments = ["-c", "sleep 30 & wait"],
            Timeout = TimeSpan.FromMinutes(5),
            OnStarted = p => Volatile.Write(ref pid, p),
        }, cts.Token);
        await cts.CancelAsync();

        var result = await run;

        Assert.True(result.Cancelled);
        Assert.False(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Equal(result.ProcessId, Volatile.Read(ref pid));
        AssertGone(result.ProcessId);
    }

    [Fact]
    public async Task Output_past_the_cap_is_cut_to_its_head_and_flagged()
    {
        var result = await Runner.RunAsync(new ProcessRunRequest("/bin/sh")
        {
            Arguments = ["-c", "head -c 100000 /dev/zero | tr '\\0' x; echo done >&2"],
            MaxOutputBytes = 1000,
        });

        Assert.True(result.Succeeded);
        Assert.True(result.StandardOutput.Truncated);
        Assert.Equal(100_000, result.StandardOutput.TotalBytes);
        Assert.Equal(new string('x', 1000), result.StandardOutput.Text);
        Assert.False(result.StandardError.Truncated);
        Assert.Equal("done\n", result.StandardError.Text);
    }

    [Fact]
    public async Task Tail_retention_keeps_the_last_bytes()
    {
        var result = await Runner.RunAsync(new ProcessRunRequest("/bin/sh")
        {
            Arguments = ["-c", "seq 1 20000 >&2"],
            MaxOutputBytes = 12,
            StandardErrorRetention = OutputRetention.Tail,
        });

        Assert.True(result.StandardError.Truncated);
        Assert.Equal("19999\n20000\n", result.StandardError.Text);
    }

    [Fact]
    public async Task A_cut_never_splits_a_character()
    {
        // "é" is two bytes in UTF-8: a 5-byte cap falls inside the third one.
        var head = await Runner.RunAsync(new ProcessRunRequest("/usr/bin/printf") { Arguments = ["ééé"], MaxOutputBytes = 5 });
        var tail = await Runner.RunAsync(new ProcessRunRequest("/usr/bin/printf") { Arguments = ["ééé"], MaxOutputBytes = 5, StandardOutputRetention = OutputRetention.Tail });

        Assert.Equal("éé", head.StandardOutput.Text);
        Assert.Equal("éé", tail.StandardOutput.Text);
        Assert.True(head.StandardOutput.Truncated && tail.StandardOutput.Truncated);
    }

    [Fact]
    public async Task A_missing_executable_is_a_typed_failure_that_says_what_to_do()
    {
        var result = await Runner.RunAsync(new ProcessRunRequest("/nonexistent/schedcp-no-such-tool"));

        Assert.False(result.Started);
        Assert.Equal(ProcessStartFailureKind.NotFound, result.StartFailure.Kind);
        Assert.Contains("/nonexistent/schedcp-no-such-tool", result.StartFailure.Message, StringComparison.Ordinal);
        Assert.Contains("install", result.StartFailure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(-1, result.ExitCode);
    }

    [Fact]
    public async Task A_file_that_is_not_executable_is_a_permission_failure()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = await Runner.RunAsync(new ProcessRunRequest(file));

            Assert.False(result.Started);
            Assert.Equal(ProcessStartFailureKind.PermissionDenied, result.StartFailure.Kind);
            Assert.Contains("chmod", result.StartFailure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Environment_can_be_cut_to_what_is_given_and_stdin_is_closed()
    {
        var result = await Runner.RunAsync(new ProcessRunRequest("/usr/bin/env")
        {
            InheritEnvironment = false,
            Environment = new Dictionary<string, string> { ["ONLY_THIS"] = "1" },
        });
        var stdin = await Runner.RunAsync(new ProcessRunRequest("/bin/cat"));

        Assert.Equal("ONLY_THIS=1\n", result.StandardOutput.Text);
        Assert.True(stdin.Succeeded);
        Assert.Equal("", stdin.StandardOutput.Text);
    }

    [Fact]
    public async Task Working_directory_is_where_the_process_starts()
    {
        var dir = Directory.CreateTempSubdirectory("schedcp-runner-").FullName;
        try
        {
            var result = await Runner.RunAsync(new ProcessRunRequest("/bin/pwd") { WorkingDirectory = dir });

            Assert.Equal(dir, result.StandardOutput.Text.Trim());
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    // Killed processes are reaped by their parents; a zombie or a missing /proc entry both mean it no longer runs.
    private static void AssertGone(int pid)
    {
        var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        for (var i = 0; i < 100 && File.Exists(stat) && !IsZombie(stat); i++)
        {
            Thread.Sleep(50);
        }

        Assert.True(!File.Exists(stat) || IsZombie(stat), $"process {pid} still runs");
    }

    private static bool IsZombie(string stat)
    {
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
