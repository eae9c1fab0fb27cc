using System.Globalization;
using System.Text.Json;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// What the run-queue latency probe measured over one window, system-wide: the time tasks waited between becoming
/// runnable and getting a CPU (all tasks, and by task name), and the fork-to-exit lifetimes of the processes and
/// threads created and ended in the window. Values are in microseconds.
/// </summary>
/// <param name="Duration">The window measured.</param>
/// <param name="CommandExitCode">The measured command's exit status (128 + signal if killed); null when none was run.</param>
/// <param name="Dropped">Events lost because a probe map was full (0 normally).</param>
/// <param name="RunQueueLatency">Run-queue latency of every task.</param>
/// <param name="ByCommand">Run-queue latency by task name (comm, at most 15 characters).</param>
/// <param name="ProcessLifetimes">Lifetimes of processes (thread-group leaders) forked and exited in the window.</param>
/// <param name="ThreadLifetimes">Lifetimes of the other threads created and exited in the window.</param>
public sealed record RunQueueLatencyReport(
    TimeSpan Duration,
    int? CommandExitCode,
    long Dropped,
    LatencyHistogram RunQueueLatency,
    IReadOnlyDictionary<string, LatencyHistogram> ByCommand,
    LatencyHistogram ProcessLifetimes,
    LatencyHistogram ThreadLifetimes)
{
    /// <summary>The pid of the command the probe ran (0 when none).</summary>
    public int CommandPid { get; init; }

    /// <summary>Per-task records the probe lost because its ring buffer was full (0 normally).</summary>
    public long TasksLost { get; init; }

    /// <summary>The unit of every histogram in a report.</summary>
    public const string Unit = "us";

    /// <summary>The longest probe output <see cref="TryParse"/> reads (4 MiB; the probe prints one line of a few KiB).</summary>
    public const int MaxOutputLength = 4 << 20;

    /// <summary>The run-queue latency of tasks named <paramref name="comm"/>, or an empty histogram.</summary>
    /// <param name="comm">The task name.</param>
    public LatencyHistogram ForCommand(string comm) =>
        ByCommand.TryGetValue(comm, out var h) ? h : LatencyHistogram.Empty(Unit);

    /// <summary>One sentence for a person or an agent.</summary>
    public string Describe()
    {
        var worst = ByCommand.Where(kv => kv.Value.Count >= 10).OrderByDescending(kv => kv.Value.P99).Take(3)
            .Select(kv => string.Format(CultureInfo.InvariantCulture, "{0} p99 ≈ {1:F0} µs", kv.Key, kv.Value.P99));
        return string.Format(CultureInfo.InvariantCulture,
            "Over {0:F1} s, {1} waits for a CPU: median ≈ {2:F0} µs, p99 ≈ {3:F0} µs, mean {4:F0} µs; longest waiters: {5}. " +
            "{6} processes lived median ≈ {7:F1} ms, p99 ≈ {8:F1} ms.",
            Duration.TotalSeconds, RunQueueLatency.Count, RunQueueLatency.P50, RunQueueLatency.P99, RunQueueLatency.Mean,
            string.Join(", ", worst) is { Length: > 0 } w ? w : "none", ProcessLifetimes.Count, ProcessLifetimes.P50 / 1000, ProcessLifetimes.P99 / 1000);
    }

    /// <summary>Reads the JSON line <c>schedcp-probe</c> prints.</summary>
    /// <param name="json">The reader's output (the first line holding a JSON object counts).</param>
    /// <param name="report">The report when it parsed.</param>
    /// <param name="failure">Why not otherwise: the reader's own error, or output it does not print.</param>
    /// <returns>True when <paramref name="report"/> is set.</returns>
    internal static bool TryParse(string? json, out RunQueueLatencyReport? report, out ProbeFailure? failure)
    {
        report = null;
        failure = null;
        if (json is { Length: > MaxOutputLength })
        {
            failure = Malformed($"the output has {json.Length} characters, more than the {MaxOutputLength} the probe prints");
            return false;
        }

        var line = (json ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith('{'));
        if (line is null)
        {
            failure = Malformed("the probe printed no JSON line");
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var kind = root.TryGetProperty("event", out var e) ? e.GetString() : null;
            if (kind == "error")
            {
                var stage = root.TryGetProperty("stage", out var s) ? s.GetString() : "?";
                var message = root.TryGetProperty("message", out var m) ? m.GetString() : "";
                failure = new ProbeFailure(ProbeFailureKind.ProbeRefused, $"schedcp-probe failed at {stage}: {message}",
                    stage is "load" or "attach"
                        ? "The kernel needs BPF tracing (tp_btf) with BTF; the sandbox kernel has it, so read the libbpf message above."
                        : "Check the arguments and that the toolchain's probes/runqlat.bpf.o exists (rebuild the toolchain).");
                return false;
            }

            if (kind != "histograms")
            {
                failure = Malformed($"unexpected event '{kind}'");
                return false;
            }

            var byCommand = new Dictionary<string, LatencyHistogram>(StringComparer.Ordinal);
            foreach (var item in root.GetProperty("per_comm").EnumerateArray())
            {
                var comm = item.GetProperty("comm").GetString() ?? "";
                var h = Histogram(item);
                byCommand[comm] = byCommand.TryGetValue(comm, out var old) ? Merge(old, h) : h;
            }

            report = new RunQueueLatencyReport(
                TimeSpan.FromMilliseconds(root.GetProperty("duration_ms").GetDouble()),
                root.GetProperty("command_status").ValueKind == JsonValueKind.Number ? root.GetProperty("command_status").GetInt32() : null,
                root.TryGetProperty("dropped", out var d) ? d.GetInt64() : 0,
                Histogram(root.GetProperty("runq_latency_us")),
                byCommand,
                Histogram(root.GetProperty("process_lifetime_us")),
                Histogram(root.GetProperty("thread_lifetime_us")))
            {
                CommandPid = root.TryGetProperty("command_pid", out var pid) && pid.TryGetInt32(out var p) ? p : 0,
                TasksLost = root.TryGetProperty("tasks_lost", out var lost) && lost.TryGetInt64(out var l) ? l : 0,
            };
            return true;
        }
        // Counts whose sum overflows and durations out of TimeSpan's range throw OverflowException.
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            failure = Malformed(ex.Message);
            return false;
        }
    }

    private static LatencyHistogram Histogram(JsonElement e) =>
        LatencyHistogram.FromSlots(Unit, e.GetProperty("slots").EnumerateArray().Select(s => s.GetInt64()), e.GetProperty("sum").GetDouble());

    // Two tasks with the same name that the kernel truncated differently cannot occur, but two map keys may print alike.
    private static LatencyHistogram Merge(LatencyHistogram a, LatencyHistogram b) =>
        LatencyHistogram.FromSlots(Unit, Enumerable.Range(0, Math.Max(a.Slots.Count, b.Slots.Count))
            .Select(i => (i < a.Slots.Count ? a.Slots[i] : 0) + (i < b.Slots.Count ? b.Slots[i] : 0)), a.Sum + b.Sum);

    private static ProbeFailure Malformed(string why) => new(ProbeFailureKind.MalformedOutput,
        $"The probe's output is not the histogram line schedcp-probe prints: {why}.",
        "Use the schedcp-probe of the same toolchain as this SDK; the job's output folder keeps the raw text.");
}
