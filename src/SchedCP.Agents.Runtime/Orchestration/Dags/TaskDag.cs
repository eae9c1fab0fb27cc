namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>
/// A validated, immutable task DAG with its critical-path ranks precomputed: the HEFT upward rank (mean
/// duration over the kinds a task can use plus the largest rank of its successors, i.e. the longest path to
/// an exit), the downward rank (longest path from an entry) and the critical-path length. Build one with
/// <see cref="TaskDagBuilder"/> or <see cref="TaskDagJson.Parse"/>.
/// </summary>
public sealed class TaskDag
{
    private readonly Dictionary<string, int> _index;

    internal TaskDag(string id, IReadOnlyList<TaskSpec> tasks, Dictionary<string, int> index)
    {
        Id = id;
        Tasks = tasks;
        _index = index;
        var n = tasks.Count;
        var predecessors = new int[n][];
        var successorLists = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            successorLists[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            predecessors[i] = [.. tasks[i].DependsOn.Distinct(StringComparer.Ordinal).Select(d => index[d])];
            foreach (var p in predecessors[i])
            {
                successorLists[p].Add(i);
            }
        }

        Predecessors = predecessors;
        Successors = [.. successorLists.Select(s => s.ToArray())];
        TopologicalOrder = Topological(n, predecessors, Successors);
        MeanDuration = [.. tasks.Select(t => t.Estimates.Average(e => e.Duration.TotalSeconds))];
        var up = new double[n];
        var down = new double[n];
        for (var k = n - 1; k >= 0; k--)
        {
            var i = TopologicalOrder[k];
            var best = 0.0;
            foreach (var s in Successors[i])
            {
                best = Math.Max(best, up[s]);
            }

            up[i] = MeanDuration[i] + best;
        }

        foreach (var i in TopologicalOrder)
        {
            var best = 0.0;
            foreach (var p in Predecessors[i])
            {
                best = Math.Max(best, down[p] + MeanDuration[p]);
            }

            down[i] = best;
        }

        UpwardRank = up;
        DownwardRank = down;
        CriticalPathSeconds = n == 0 ? 0 : up.Max();
    }

    /// <summary>The DAG's name.</summary>
    public string Id { get; }

    /// <summary>The tasks in the order they were declared.</summary>
    public IReadOnlyList<TaskSpec> Tasks { get; }

    /// <summary>Number of tasks.</summary>
    public int Count => Tasks.Count;

    /// <summary>Length of the critical path in seconds, from mean durations.</summary>
    public double CriticalPathSeconds { get; }

    internal int[][] Predecessors { get; }

    internal int[][] Successors { get; }

    internal int[] TopologicalOrder { get; }

    internal double[] MeanDuration { get; }

    internal double[] UpwardRank { get; }

    internal double[] DownwardRank { get; }

    /// <summary>The HEFT upward rank of a task, in seconds: the longest mean-duration path from it to an exit.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>The rank, or null for an unknown id.</returns>
    public double? UpwardRankOf(string taskId) => _index.TryGetValue(taskId, out var i) ? UpwardRank[i] : null;

    /// <summary>Whether the task lies on a longest path through the DAG (no slack).</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>True on the critical path; false otherwise or for an unknown id.</returns>
    public bool IsOnCriticalPath(string taskId) => _index.TryGetValue(taskId, out var i) && IsCritical(i);

    /// <summary>Index of a task id.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="index">Its index.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGetIndex(string taskId, out int index) => _index.TryGetValue(taskId, out index);

    internal bool IsCritical(int i) => UpwardRank[i] + DownwardRank[i] >= CriticalPathSeconds * (1 - 1e-9);

    private static int[] Topological(int n, int[][] predecessors, int[][] successors)
    {
        var remaining = new int[n];
        var ready = new Queue<int>();
        for (var i = 0; i < n; i++)
        {
            remaining[i] = predecessors[i].Length;
            if (remaining[i] == 0)
            {
                ready.Enqueue(i);
            }
        }

        var order = new int[n];
        var k = 0;
        while (ready.TryDequeue(out var i))
        {
            order[k++] = i;
            foreach (var s in successors[i])
            {
                if (--remaining[s] == 0)
                {
                    ready.Enqueue(s);
                }
            }
        }

        return order;
    }
}
