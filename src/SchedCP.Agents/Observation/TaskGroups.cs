using SchedCP.Kernel.Analysis;

namespace SchedCP.Agents;

/// <summary>Groups an observed process tree's tasks by name and picks the names that are long, by measurement.</summary>
public static class TaskGroups
{
    /// <summary>A name is long when its tasks' mean CPU time is at least this many times the median task's.</summary>
    public const double LongRatio = WorkloadProfiler.LongTailRatio;

    /// <summary>Names the long-job scheduler can take (its <c>long_comm0..7</c> slots).</summary>
    public const int MaxLongNames = 8;

    /// <summary>Groups <paramref name="tasks"/> by name, longest mean CPU time first.</summary>
    /// <param name="tasks">The observed threads.</param>
    public static IReadOnlyList<TaskGroup> Of(IReadOnlyList<TaskObservation> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var cpu = tasks.Where(t => t.RunNs > 0).Select(t => t.RunNs / 1e6).Order().ToArray();
        if (cpu.Length == 0)
        {
            return [];
        }

        var median = cpu[(cpu.Length - 1) / 2];
        return tasks.Where(t => t.RunNs > 0)
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var mean = g.Average(t => t.RunNs / 1e6);
                return new TaskGroup(g.Key, g.Count(), mean, g.Max(t => t.RunNs / 1e6), median > 0 ? mean / median : 0);
            })
            .OrderByDescending(g => g.MeanCpuMs)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// The names whose tasks are long: mean CPU time at least <see cref="LongRatio"/> times the median task's, and
    /// shared by fewer tasks than a quarter of the workload's (a name every task has says nothing). Longest first,
    /// at most <see cref="MaxLongNames"/>.
    /// </summary>
    /// <param name="groups">The groups.</param>
    public static IReadOnlyList<string> LongNames(IReadOnlyList<TaskGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var total = groups.Sum(g => g.Tasks);
        return groups.Where(g => g.RatioToMedian >= LongRatio && g.Tasks * 4 <= Math.Max(total, 4) && g.Name.Length is > 0 and <= 15)
            .Take(MaxLongNames)
            .Select(g => g.Name)
            .ToArray();
    }
}
