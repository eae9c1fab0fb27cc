using System.Globalization;
using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class TaskRecordTreeTests
{
    private static string Line(int pid, int tgid, int ppid, int fork, string comm, string parentComm, ulong cpuMs, string exec = "", string argv = "", ulong start = 0, ulong exit = 100) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"pid":{{pid}},"tgid":{{tgid}},"parent_pid":{{ppid}},"parent_tgid":{{ppid}},"fork_index":{{fork}},"execed":{{(exec.Length > 0 ? "true" : "false")}},"comm":"{{comm}}","parent_comm":"{{parentComm}}","exec":"{{exec}}","argv":[{{argv}}],"argv_len":{{argv.Length}},"start_ns":{{start * 1_000_000}},"exit_ns":{{exit * 1_000_000}},"cpu_ns":{{cpuMs * 1_000_000}},"run_delay_ns":1000,"nvcsw":1,"nivcsw":2,"wakeups":3,"top_waker":{{ppid}},"exit_code":0}""");

    // sh -c launches the batch driver, which forks four same-name workers; one worker starts a thread.
    private static readonly string Batch = string.Join('\n',
        Line(10, 10, 1, 0, "sh", "schedcp-probe", 2, "/bin/sh", "\"sh\",\"-c\",\"./batch\""),
        Line(11, 11, 10, 0, "batch", "sh", 1, "./batch", "\"./batch\",\"--n\",\"4\""),
        Line(12, 12, 11, 0, "batch", "batch", 30),
        Line(13, 13, 11, 1, "batch", "batch", 300),
        Line(14, 14, 11, 2, "batch", "batch", 30),
        Line(15, 15, 11, 3, "batch", "batch", 30),
        Line(16, 15, 15, 0, "batch", "batch", 5),
        Line(99, 99, 1, 0, "other", "init", 500));

    [Fact]
    public void The_workload_root_is_below_the_launcher_and_unrelated_tasks_are_left_out()
    {
        var tree = TaskRecordTree.Build(TaskRecord.ParseLines(Batch, out var malformed), commandPid: 10, tasksLost: 0);

        Assert.Equal(0, malformed);
        Assert.Equal(11, tree.RootProcessId);
        Assert.Equal([11, 12, 13, 14, 15, 16], tree.Tasks.Select(t => t.ThreadId).Order());
        Assert.Equal(4, tree.WorkItems.Count);
        Assert.True(tree.Complete);
        Assert.Equal(ObservationSource.GuestBpf, tree.Source);
    }

    [Fact]
    public void A_forked_task_that_did_not_exec_carries_its_parents_program_and_its_own_fork_order()
    {
        var tree = TaskRecordTree.Build(TaskRecord.ParseLines(Batch, out _), commandPid: 10, tasksLost: 0);

        var worker = tree.Tasks.Single(t => t.ThreadId == 13);
        Assert.Equal("./batch", worker.Identity!.ExecPath);
        Assert.Equal(["./batch", "--n", "4"], worker.Identity.Argv);
        Assert.Equal(1, worker.Identity.ForkIndex);
        Assert.Equal("batch", worker.Identity.ParentName);
        Assert.Equal(300_000_000UL, worker.RunNs);
        Assert.Equal(3UL, worker.Wakeups);
    }

    [Fact]
    public void Lost_records_make_the_observation_incomplete_and_say_so()
    {
        var tree = TaskRecordTree.Build(TaskRecord.ParseLines(Batch, out _), commandPid: 10, tasksLost: 2);

        Assert.False(tree.Complete);
        Assert.Contains("2 lost", tree.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void A_polled_tree_is_a_lower_bound()
    {
        var tree = new ProcessTreeObservation(1, TimeSpan.FromSeconds(1), 10, [], 0);

        Assert.False(tree.Complete);
        Assert.Contains("lower bound", tree.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_task_lines_are_counted_never_thrown()
    {
        var random = new Random(21);
        var valid = Line(12, 12, 11, 0, "batch", "batch", 30);
        var lines = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            var chars = valid.ToCharArray();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(0, 128);
            }

            lines.Add(new string(chars).Replace("\n", "", StringComparison.Ordinal));
        }

        lines.Add(new string('{', 20_000));
        lines.Add("[1,2,3]");
        lines.Add("""{"pid":"x"}""");

        var records = TaskRecord.ParseLines(string.Join('\n', lines), out var malformed);

        Assert.Equal(lines.Count, records.Count + malformed);
        Assert.True(malformed >= 3);
        Assert.All(records, r => Assert.NotNull(r.Name));
    }

    [Fact]
    public void The_argv_fingerprint_tells_different_arguments_apart()
    {
        var a = new TaskIdentity(1, "sh", 0, "/usr/bin/xz", ["xz", "-9", "small.tar"], 20);
        var b = a with { Argv = ["xz", "-9", "large.tar"] };

        Assert.NotEqual(a.ArgvFingerprint, b.ArgvFingerprint);
        Assert.Equal(a.ArgvFingerprint, (a with { ForkIndex = 5 }).ArgvFingerprint);
    }
}
