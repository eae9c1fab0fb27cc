using System.Globalization;
using SchedCP.Kernel.Analysis;

namespace SchedCP.Agents;

/// <summary>
/// Which work items of an observed batch are long, and how a scheduler can recognise them on a rerun, from measurement
/// alone: by name when the long items' names are theirs alone, else by the order of their fork under the same parent
/// (what a rerun of the same program reproduces when every task has one name and one argv), and, for tasks never seen,
/// by the CPU time past which a task is no longer one of the short class (its measured p95).
/// </summary>
/// <param name="Items">Work items measured.</param>
/// <param name="MedianCpuMs">Their median CPU time.</param>
/// <param name="LongItems">Items at least <see cref="TaskGroups.LongRatio"/>× the median (0 when the batch has no long tail).</param>
/// <param name="NamesDistinguish">True when no short item shares a name with a long one, so names identify the long work.</param>
/// <param name="ForkParent">The name of the thread that forked the long items (the one most of them share), or null.</param>
/// <param name="ForkIndices">The long items' fork order under that parent, at most <see cref="MaxForks"/>.</param>
/// <param name="ShortP95CpuMs">The 95th percentile of the short items' CPU time: past it a task is unlike the short class.</param>
/// <param name="Evidence">The numbers behind the finding, one line.</param>
public sealed record LongTaskIdentification(
    int Items,
    double MedianCpuMs,
    int LongItems,
    bool NamesDistinguish,
    string? ForkParent,
    IReadOnlyList<int> ForkIndices,
    double ShortP95CpuMs,
    string Evidence)
{
    /// <summary>Fork positions the long-job scheduler can take (its <c>long_fork0..7</c> slots).</summary>
    public const int MaxForks = 8;

    /// <summary>Nothing long was found.</summary>
    public static LongTaskIdentification None { get; } = new(0, 0, 0, false, null, [], 0, "no work items");

    /// <summary>True when the long items can be named by fork order.</summary>
    public bool HasForkIdentities => ForkParent is not null && ForkIndices.Count > 0;

    /// <summary>Finds the long work items of <paramref name="tree"/> and what identifies them.</summary>
    /// <param name="tree">The observation (identities come from the BPF probe; a polled tree has none).</param>
    public static LongTaskIdentification Of(ProcessTreeObservation tree) => Of([tree]);

    /// <summary>
    /// Finds the long work items over several runs of one workload: an item is known by its parent's name and fork
    /// order, its CPU time is the median over the runs it appears in, and only items in a majority of runs count. One
    /// run's outlier (a vCPU the host took away mid-task) cannot make a short task long.
    /// </summary>
    /// <param name="trees">The runs' observations (at least one).</param>
    public static LongTaskIdentification Of(IReadOnlyList<ProcessTreeObservation> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentOutOfRangeException.ThrowIfZero(trees.Count);
        var perRun = trees.Select(WorkItemsOf).ToArray();
        var items = perRun.Length == 1 || perRun.Any(r => r.Any(i => i.Identity is null))
            ? perRun[0]
            : perRun.SelectMany(r => r)
                .GroupBy(i => (i.Identity!.ParentName, i.Identity.ForkIndex))
                .Where(g => g.Count() * 2 > perRun.Length)
                .Select(g =>
                {
                    var cpu = g.Select(i => i.CpuMs).Order().ToArray();
                    return (g.First().Name, g.First().Identity, CpuMs: cpu.Length % 2 == 1 ? cpu[cpu.Length / 2] : (cpu[cpu.Length / 2 - 1] + cpu[cpu.Length / 2]) / 2);
                })
                .ToArray();
        if (items.Length < 4)
        {
            return None with { Items = items.Length, Evidence = $"{items.Length} work items: too few to call any long" };
        }

        var sorted = items.Select(i => i.CpuMs).Order().ToArray();
        var median = sorted[(sorted.Length - 1) / 2];
        var longOnes = items.Where(i => i.CpuMs >= TaskGroups.LongRatio * median).ToArray();
        var shortOnes = items.Where(i => i.CpuMs < TaskGroups.LongRatio * median).Select(i => i.CpuMs).Order().ToArray();
        var p95 = shortOnes.Length == 0 ? median : shortOnes[Math.Min(shortOnes.Length - 1, (int)Math.Ceiling(0.95 * shortOnes.Length) - 1)];
        var c = CultureInfo.InvariantCulture;
        if (longOnes.Length == 0 || longOnes.Length * 4 > items.Length)
        {
            return new LongTaskIdentification(items.Length, median, 0, false, null, [], p95,
                string.Format(c, "{0} work items, median CPU {1:F1} ms, longest {2:F1} ms: no item ≥ {3}× the median in a minority → no long tail",
                    items.Length, median, sorted[^1], TaskGroups.LongRatio));
        }

        var longNames = longOnes.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var namesDistinguish = items.Where(i => i.CpuMs < TaskGroups.LongRatio * median).All(i => !longNames.Contains(i.Name));
        var parent = longOnes.Where(i => i.Identity is not null).GroupBy(i => i.Identity!.ParentName, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).FirstOrDefault();
        var forks = parent?.Select(i => i.Identity!.ForkIndex).Distinct().Order().Take(MaxForks).ToArray() ?? [];
        var evidence = string.Format(c,
            (trees.Count > 1 ? string.Format(c, "median of {0} runs: ", trees.Count) : "") + "{0} work items, median CPU {1:F1} ms, short-class p95 {2:F1} ms; {3} long (≥ {4}× the median: {5}); names {6}{7}",
            items.Length, median, p95, longOnes.Length, TaskGroups.LongRatio,
            string.Join(", ", longOnes.OrderByDescending(i => i.CpuMs).Take(MaxForks).Select(i => string.Format(c, "{0:F0} ms", i.CpuMs))),
            namesDistinguish ? "tell them apart" : "say nothing (short items share them)",
            parent is null ? "" : string.Format(c, "; forked by '{0}' as fork #{1}", parent.Key, string.Join(", #", forks)));
        return new LongTaskIdentification(items.Length, median, longOnes.Length, namesDistinguish, parent?.Key, forks, p95, evidence);
    }

    private static (string Name, TaskIdentity? Identity, double CpuMs)[] WorkItemsOf(ProcessTreeObservation tree)
    {
        var byProcess = tree.Tasks.Any(t => t.ProcessId != tree.RootProcessId);
        return tree.WorkTasks.GroupBy(t => byProcess ? t.ProcessId : t.ThreadId)
            .Select(g =>
            {
                var main = g.FirstOrDefault(t => t.ThreadId == g.Key) ?? g.First();
                return (main.Name, main.Identity, CpuMs: g.Sum(t => (double)t.RunNs) / 1e6);
            })
            .Where(i => i.CpuMs > 0)
            .ToArray();
    }
}
