namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Builds a <see cref="ProcessTreeObservation"/> from the BPF probe's task records: the tasks descended from the measured
/// command, with the kernel's exact counters and each task's identity (parent, fork order, program and arguments).
/// </summary>
internal static class TaskRecordTree
{
    /// <summary>
    /// The tree under <paramref name="commandPid"/>. Its root is the workload's own process: from the command, down
    /// while a process has exactly one child process and used almost no CPU itself (a shell or a launcher that waits),
    /// so the tasks the workload forks are the work items.
    /// </summary>
    /// <param name="records">The probe's records.</param>
    /// <param name="commandPid">The command the probe ran.</param>
    /// <param name="tasksLost">Records the probe lost or that did not parse.</param>
    /// <param name="source">Where the probe ran.</param>
    public static ProcessTreeObservation Build(IReadOnlyList<TaskRecord> records, int commandPid, long tasksLost, ObservationSource source = ObservationSource.GuestBpf)
    {
        ArgumentNullException.ThrowIfNull(records);
        var byThread = new Dictionary<int, TaskRecord>();
        foreach (var r in records)
        {
            byThread.TryAdd(r.ThreadId, r);
        }

        var children = records.Where(r => r.ThreadId != r.ParentThreadId).ToLookup(r => r.ParentThreadId);
        var root = WorkloadRoot(commandPid, byThread, children);
        var tree = Subtree(root, byThread, children);
        if (tree.Count == 0)
        {
            return new ProcessTreeObservation(commandPid, TimeSpan.Zero, 0, [], 0) { Source = source, TasksLost = tasksLost };
        }

        var start = tree.Min(t => t.StartNs);
        var tasks = tree.OrderBy(t => t.StartNs).ThenBy(t => t.ThreadId).Select(t => Observation(t, byThread, start)).ToArray();
        var wall = TimeSpan.FromTicks((long)((tree.Max(t => t.ExitNs) - start) / 100));
        return new ProcessTreeObservation(root, wall, 0, tasks, PeakConcurrent(tree)) { Source = source, TasksLost = tasksLost };
    }

    private static List<TaskRecord> Subtree(int rootThread, Dictionary<int, TaskRecord> byThread, ILookup<int, TaskRecord> children)
    {
        var tree = new List<TaskRecord>();
        var stack = new Stack<int>();
        stack.Push(rootThread);
        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            var tid = stack.Pop();
            if (!seen.Add(tid) || !byThread.TryGetValue(tid, out var r))
            {
                continue;
            }

            tree.Add(r);
            foreach (var child in children[tid])
            {
                stack.Push(child.ThreadId);
            }
        }

        return tree;
    }

    private static int WorkloadRoot(int commandPid, Dictionary<int, TaskRecord> byThread, ILookup<int, TaskRecord> children)
    {
        var root = commandPid;
        for (var depth = 0; depth < 8; depth++)
        {
            var tree = Subtree(root, byThread, children);
            var kids = tree.Where(p => p.IsProcess && p.ParentProcessId == root && p.ProcessId != root).ToArray();
            if (kids.Length != 1)
            {
                break;
            }

            // A launcher (a shell, runcmd) waits for its one child: the work is the child's whole subtree.
            var own = tree.Where(t => t.ProcessId == root).Sum(t => (double)t.CpuNs);
            var child = Subtree(kids[0].ThreadId, byThread, children).Sum(t => (double)t.CpuNs);
            if (own > child)
            {
                break;
            }

            root = kids[0].ProcessId;
        }

        return root;
    }

    private static TaskObservation Observation(TaskRecord t, Dictionary<int, TaskRecord> byThread, ulong start)
    {
        // A forked task that did not exec runs its parent's program with its parent's arguments.
        var program = t;
        for (var hops = 0; hops < 64 && !program.Execed && byThread.TryGetValue(program.ParentThreadId, out var parent) && parent.ThreadId != program.ThreadId; hops++)
        {
            program = parent;
        }

        var identity = new TaskIdentity(t.ParentThreadId, t.ParentName, t.ForkIndex,
            program.Execed ? program.ExecPath : "", program.Execed ? program.Argv : [], program.Execed ? program.ArgvLength : 0);
        return new TaskObservation(t.ProcessId, t.ThreadId, t.Name,
            TimeSpan.FromTicks((long)((t.StartNs - start) / 100)), TimeSpan.FromTicks((long)((Math.Max(t.ExitNs, t.StartNs) - start) / 100)),
            true, t.CpuNs, t.RunDelayNs, t.VoluntarySwitches, t.InvoluntarySwitches)
        {
            Identity = identity,
            Wakeups = t.Wakeups,
            TopWaker = t.TopWaker,
        };
    }

    private static int PeakConcurrent(IReadOnlyList<TaskRecord> tree)
    {
        var events = tree.SelectMany(t => new[] { (At: t.StartNs, Delta: 1), (At: Math.Max(t.ExitNs, t.StartNs), Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int live = 0, peak = 0;
        foreach (var e in events)
        {
            live += e.Delta;
            peak = Math.Max(peak, live);
        }

        return peak;
    }
}
