namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Workloads made of programs nobody here wrote, from Debian packages (<c>native/install-deps.sh</c> installs them), run
/// through <c>runcmd</c> and judged by their makespan. The guest runs this machine's own programs, so they run there as
/// they do here.
/// </summary>
public static class ThirdPartyWorkloads
{
    /// <summary>The names <see cref="For"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["hackbench", "xz-batch"];

    /// <summary>
    /// rt-tests' <c>hackbench</c>: groups of senders and receivers passing messages over sockets, the scheduler
    /// benchmark the kernel community uses for wakeup-heavy throughput; its makespan is its own "Time".
    /// </summary>
    /// <param name="groups">Groups of 20 senders and 20 receivers.</param>
    /// <param name="loops">Messages each sender sends.</param>
    public static BenchmarkWorkload Hackbench(int groups = 2, int loops = 100) =>
        BenchmarkWorkload.Command("hackbench", ["-g", I(groups), "-l", I(loops)]);

    /// <summary>
    /// A compression batch as a backup or packaging job runs it: one <c>xz</c> process per file, all started at once,
    /// one large input among many small ones, all processes named <c>xz</c>: a long tail whose names say nothing.
    /// </summary>
    /// <param name="smallFiles">Small inputs.</param>
    /// <param name="largeAt">The position of the large input among the files.</param>
    /// <param name="scale">Lines of the small inputs (the large one has a hundred times as many, so its work, not xz's start-up, dominates).</param>
    public static BenchmarkWorkload XzBatch(int smallFiles = 12, int largeAt = 5, int scale = 3000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(smallFiles, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(largeAt);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var files = Enumerable.Range(0, smallFiles + 1).Select(i => i == Math.Min(largeAt, smallFiles) ? "$d/large" : $"$d/small").ToArray();
        var script = $"d=$(mktemp -d); seq 1 {I(scale * 100)} > $d/large; seq 1 {I(scale)} > $d/small; " +
                     $"for f in {string.Join(' ', files)}; do xz -2 -T1 -c $f > /dev/null & done; wait; rm -rf $d";
        return BenchmarkWorkload.Command("sh", ["-c", script]);
    }

    /// <summary>The workload named <paramref name="name"/>, or null.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    public static BenchmarkWorkload? For(string name) => name switch
    {
        "hackbench" => Hackbench(),
        "xz-batch" => XzBatch(),
        _ => null,
    };

    private static string I(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
