using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Workloads made of programs nobody here wrote, from Debian packages (<c>native/install-deps.sh</c> installs them), run
/// through <c>runcmd</c> and judged by their makespan or by the KPI they print (<see cref="BenchmarkWorkload.Kpi"/>). The guest runs this machine's own programs, so they run there as
/// they do here.
/// </summary>
public static class ThirdPartyWorkloads
{
    /// <summary>The names <see cref="For"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["hackbench", "xz-batch", "cyclictest", "stress-ng", "sysbench-cpu", "sysbench-threads", "make-j"];

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

    /// <summary>
    /// rt-tests' <c>cyclictest</c> as a wakeup-latency workload: <paramref name="threads"/> normal-priority (not real-time,
    /// so the scheduler under test places them) threads sleep <paramref name="intervalUs"/> and measure how late they wake,
    /// while stress-ng keeps <paramref name="loadThreads"/> CPU hogs busy. cyclictest records every wakeup in a histogram of
    /// 1 µs buckets up to 100 ms (<c>-h</c>); <see cref="CyclictestHistogramSummary"/> turns it into one summary line.
    /// The KPI is the 99th percentile over all threads' wakeups, <c>p99_latency_us</c>, lower is better (the worst wakeup,
    /// <see cref="CyclictestMaxLatency"/>, is on the same line; one outlier moves it, so it is not the default).
    /// </summary>
    /// <param name="threads">Measuring threads.</param>
    /// <param name="loops">Wakeups per thread.</param>
    /// <param name="intervalUs">Sleep between wakeups in microseconds.</param>
    /// <param name="loadThreads">CPU hogs competing with the measuring threads.</param>
    public static BenchmarkWorkload Cyclictest(int threads = 2, int loops = 1000, int intervalUs = 1000, int loadThreads = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(loops, 1);
        // The hogs stop when cyclictest ends: a timeout far past it bounds them if the kill is missed. The histogram goes
        // to a file, so only the summary line reaches the output and cyclictest's own exit code is the workload's.
        var script = $"stress-ng -q --cpu {I(loadThreads)} --timeout 600s & h=$!; t=$(mktemp); " +
                     $"cyclictest -q -m -t {I(threads)} -i {I(intervalUs)} -l {I(loops)} -h 100000 > $t; rc=$?; kill $h; wait $h; " +
                     $"[ $rc = 0 ] && awk '{CyclictestHistogramSummary}' $t; rm -f $t; exit $rc";
        return BenchmarkWorkload.Command("sh", ["-c", script]) with { Kpi = CyclictestP99Latency };
    }

    /// <summary>
    /// An awk program over cyclictest's <c>-h</c> output: sums the buckets over threads, adds the overflows (wakeups past
    /// the histogram, counted as the worst), and prints <c>cyclictest p99_latency_us=P max_latency_us=M samples=N overflows=O</c>.
    /// The buckets arrive in ascending order, so one pass after reading finds the percentile.
    /// </summary>
    internal const string CyclictestHistogramSummary =
        "/^[0-9]+[ \\t]/ { s = 0; for (i = 2; i <= NF; i++) s += $i; if (s > 0) { k[++nk] = $1 + 0; v[nk] = s; n += s } next } " +
        "/^# Histogram Overflows:/ { for (i = 4; i <= NF; i++) o += $i } " +
        "/^# Max Latencies:/ { for (i = 4; i <= NF; i++) if ($i + 0 > m) m = $i + 0 } " +
        "END { t = n + o; if (t == 0) exit 1; want = 0.99 * t; c = 0; p = m; " +
        "for (j = 1; j <= nk; j++) { c += v[j]; if (c >= want) { p = k[j]; break } } " +
        "printf \"cyclictest p99_latency_us=%d max_latency_us=%d samples=%d overflows=%d\\n\", p, m, t, o }";

    /// <summary>The 99th percentile of cyclictest's wakeup latency over all threads, in microseconds.</summary>
    public static OutputKpi CyclictestP99Latency { get; } =
        OutputKpi.Create("p99_latency_us", @"^cyclictest p99_latency_us=(\d+) ", KpiDirection.LowerIsBetter);

    /// <summary>cyclictest's worst wakeup latency over its threads, in microseconds.</summary>
    public static OutputKpi CyclictestMaxLatency { get; } =
        OutputKpi.Create("max_latency_us", @"^cyclictest .*max_latency_us=(\d+) ", KpiDirection.LowerIsBetter);

    /// <summary>
    /// stress-ng with a CPU and context-switch mix: <paramref name="cpuWorkers"/> CPU stressors compete with
    /// <paramref name="switchWorkers"/> pipe ping-pong pairs for <paramref name="seconds"/> s. The KPI is the CPU stressors'
    /// real-time bogo-ops per second from <c>--metrics-brief</c>, <c>cpu_bogo_ops_per_second</c>, higher is better: how much
    /// compute gets done while the switchers demand quick wakeups.
    /// </summary>
    /// <param name="cpuWorkers">CPU stressors.</param>
    /// <param name="switchWorkers">Context-switch stressors.</param>
    /// <param name="seconds">Run time in seconds.</param>
    public static BenchmarkWorkload StressNg(int cpuWorkers = 2, int switchWorkers = 2, int seconds = 5) =>
        BenchmarkWorkload.Command("stress-ng", ["--cpu", I(cpuWorkers), "--switch", I(switchWorkers), "--timeout", I(seconds) + "s", "--metrics-brief"])
            with { Kpi = StressNgCpuOps };

    /// <summary>stress-ng's <c>metrc:</c> line of the <c>cpu</c> stressor: bogo ops per second in real time.</summary>
    public static OutputKpi StressNgCpuOps { get; } =
        OutputKpi.Create("cpu_bogo_ops_per_second", @"metrc:\s*\[\d+\]\s+cpu\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", KpiDirection.HigherIsBetter);

    /// <summary>
    /// <c>sysbench cpu</c>: <paramref name="threads"/> threads computing primes for <paramref name="seconds"/> s; the KPI is
    /// its <c>events per second</c>, <c>events_per_second</c>, higher is better.
    /// </summary>
    /// <param name="threads">Worker threads.</param>
    /// <param name="seconds">Run time in seconds.</param>
    public static BenchmarkWorkload SysbenchCpu(int threads = 4, int seconds = 3) =>
        BenchmarkWorkload.Command("sysbench", ["cpu", "--threads=" + I(threads), "--time=" + I(seconds), "run"]) with { Kpi = SysbenchEventsPerSecond };

    /// <summary>sysbench cpu's <c>events per second:</c> line.</summary>
    public static OutputKpi SysbenchEventsPerSecond { get; } =
        OutputKpi.Create("events_per_second", @"events per second:\s*([\d.]+)", KpiDirection.HigherIsBetter);

    /// <summary>
    /// <c>sysbench threads</c>: <paramref name="threads"/> threads contending for <paramref name="locks"/> mutexes and
    /// yielding, for <paramref name="seconds"/> s; the KPI is its <c>total number of events</c>, <c>events</c>, higher is
    /// better (the run time is fixed).
    /// </summary>
    /// <param name="threads">Worker threads.</param>
    /// <param name="locks">Mutexes.</param>
    /// <param name="seconds">Run time in seconds.</param>
    public static BenchmarkWorkload SysbenchThreads(int threads = 8, int locks = 2, int seconds = 3) =>
        BenchmarkWorkload.Command("sysbench", ["threads", "--threads=" + I(threads), "--thread-locks=" + I(locks), "--time=" + I(seconds), "run"]) with { Kpi = SysbenchTotalEvents };

    /// <summary>sysbench's <c>total number of events:</c> line.</summary>
    public static OutputKpi SysbenchTotalEvents { get; } =
        OutputKpi.Create("events", @"total number of events:\s*(\d+)", KpiDirection.HigherIsBetter);

    /// <summary>
    /// A real parallel build: <c>make -j<paramref name="jobs"/></c> compiling Linux's kconfig sources (the C of
    /// <c>scripts/kconfig</c>, from the linux-source package the sandbox's kernel is built from) in a temporary directory,
    /// judged by its makespan. The source tree is read in place (read-only in the guest); only objects are written.
    /// </summary>
    /// <param name="jobs">make's job count.</param>
    /// <param name="linuxSource">A Linux source tree; null uses the one the sandbox toolchain extracted (<see cref="DefaultLinuxSource"/>).</param>
    public static BenchmarkWorkload MakeJobs(int jobs = 4, string? linuxSource = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        // The tree arrives as $1, never inside the script's text, so its path needs no quoting.
        const string script = """
            s="$1/scripts"; [ -f "$s/kconfig/conf.c" ] || { echo "make-j: no Linux source at $1 (build the sandbox toolchain first)" >&2; exit 3; }
            d=$(mktemp -d)
            printf 'CFLAGS = -O2 -I%s/include -I%s/kconfig\nOBJS = conf.o confdata.o expr.o menu.o preprocess.o symbol.o util.o\nall: $(OBJS)\n%%.o: %s/kconfig/%%.c\n\t$(CC) $(CFLAGS) -c $< -o $@\n' "$s" "$s" "$s" > $d/Makefile
            make -s -C $d -j"$2"; rc=$?; rm -rf $d; exit $rc
            """;
        return BenchmarkWorkload.Command("sh", ["-c", script.ReplaceLineEndings("; "), "make-j", linuxSource ?? DefaultLinuxSource(), I(jobs)]);
    }

    /// <summary>
    /// The Linux source tree the sandbox toolchain extracted from the linux-source package
    /// (<c>~/.cache/schedcp/src/linux-source-*</c>, or under <c>$XDG_CACHE_HOME</c>); a path that does not exist when
    /// there is none, so the workload fails with that message.
    /// </summary>
    public static string DefaultLinuxSource()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var src = Path.Combine(cache, "schedcp", "src");
        return (Directory.Exists(src) ? Directory.GetDirectories(src, "linux-source-*").Order(StringComparer.Ordinal).LastOrDefault() : null)
               ?? Path.Combine(src, "linux-source");
    }

    /// <summary>The workload named <paramref name="name"/>, or null.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    public static BenchmarkWorkload? For(string name) => name switch
    {
        "hackbench" => Hackbench(),
        "xz-batch" => XzBatch(),
        "cyclictest" => Cyclictest(),
        "stress-ng" => StressNg(),
        "sysbench-cpu" => SysbenchCpu(),
        "sysbench-threads" => SysbenchThreads(),
        "make-j" => MakeJobs(),
        _ => null,
    };

    private static string I(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
