using System.Globalization;

namespace SchedCP.Verifier.Dynamic;

/// <summary>
/// What the samples of a sandbox run say about waiting: per-task run delay and the longest time a task made no progress
/// (from <c>/proc/&lt;pid&gt;/schedstat</c>), and how much the CPUs idled while more tasks were runnable than there are
/// CPUs (from <c>/proc/stat</c>).
/// </summary>
/// <param name="Tasks">Tasks sampled.</param>
/// <param name="Samples">Sample rounds.</param>
/// <param name="LongestNoProgress">The longest span any task went without CPU time between two samples, or since the first one.</param>
/// <param name="MaxRunDelay">The largest run delay (time runnable but not running) of one task over the run.</param>
/// <param name="WaitingIntervals">Intervals in which more tasks were runnable than CPUs online.</param>
/// <param name="MaxIdleWhileWaiting">The largest idle share of the CPUs in such an interval (0 to 1).</param>
public sealed record TaskWaitAnalysis(int Tasks, int Samples, TimeSpan LongestNoProgress, TimeSpan MaxRunDelay, int WaitingIntervals, double MaxIdleWhileWaiting)
{
    /// <summary>
    /// Parses the <c>tasks.txt</c> lines of a trial: <c>task t=UPTIME pid=PID RUN_NS DELAY_NS SLICES</c> and
    /// <c>cpu t=UPTIME ncpu=N cpu USER NICE SYSTEM IDLE IOWAIT IRQ SOFTIRQ STEAL ... procs_running R</c>.
    /// </summary>
    /// <param name="text">The file's text; empty gives an analysis with no samples.</param>
    public static TaskWaitAnalysis Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var progress = new Dictionary<string, (double T, ulong Run, ulong Delay, double LastProgress)>(StringComparer.Ordinal);
        double longest = 0, maxDelay = 0, maxIdle = 0;
        var waiting = 0;
        var samples = 0;
        (double Idle, double Total, bool Waiting)? previousCpu = null;
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2 || !f[1].StartsWith("t=", StringComparison.Ordinal) || !double.TryParse(f[1][2..], CultureInfo.InvariantCulture, out var t))
            {
                continue;
            }

            if (f[0] == "task" && f.Length >= 5 && f[2].StartsWith("pid=", StringComparison.Ordinal)
                && ulong.TryParse(f[3], CultureInfo.InvariantCulture, out var run) && ulong.TryParse(f[4], CultureInfo.InvariantCulture, out var delay))
            {
                var pid = f[2][4..];
                maxDelay = Math.Max(maxDelay, delay / 1e9);
                if (progress.TryGetValue(pid, out var p))
                {
                    var last = run > p.Run ? t : p.LastProgress;
                    longest = Math.Max(longest, t - last);
                    progress[pid] = (t, run, delay, last);
                }
                else
                {
                    progress[pid] = (t, run, delay, t);
                }
            }
            else if (f[0] == "cpu" && f.Length >= 12 && f[2].StartsWith("ncpu=", StringComparison.Ordinal) && int.TryParse(f[2][5..], CultureInfo.InvariantCulture, out var ncpu))
            {
                samples++;
                var ticks = f.Skip(4).Take(8).Select(v => double.TryParse(v, CultureInfo.InvariantCulture, out var d) ? d : 0).ToArray();
                var idle = ticks[3] + ticks[4];
                var total = ticks.Sum();
                var runIndex = Array.IndexOf(f, "procs_running");
                // The sampling shell is one of the runnable tasks: work waits when the rest outnumber the CPUs.
                var isWaiting = runIndex > 0 && runIndex + 1 < f.Length && int.TryParse(f[runIndex + 1], CultureInfo.InvariantCulture, out var r) && r - 1 > ncpu;
                if (previousCpu is { } prev && prev.Waiting && isWaiting && total > prev.Total)
                {
                    waiting++;
                    maxIdle = Math.Max(maxIdle, (idle - prev.Idle) / (total - prev.Total));
                }

                previousCpu = (idle, total, isWaiting);
            }
        }

        return new TaskWaitAnalysis(progress.Count, samples, TimeSpan.FromSeconds(longest), TimeSpan.FromSeconds(maxDelay), waiting, maxIdle);
    }
}
