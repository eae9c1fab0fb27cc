using System.Collections.Frozen;
using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>One value of <c>/proc/&lt;pid&gt;/sched</c>.</summary>
/// <param name="Value">The integer, or for a time value (printed as milliseconds with six decimals) the nanoseconds.</param>
/// <param name="IsTime">True when the kernel printed a time (<c>ms.nnnnnn</c>) and <paramref name="Value"/> is in nanoseconds.</param>
public readonly record struct SchedValue(long Value, bool IsTime);

/// <summary>
/// <c>/proc/&lt;pid&gt;/sched</c> of one task (kernels with CONFIG_SCHED_DEBUG): every <c>key : value</c> line in
/// <see cref="Values"/>, because the keys vary with kernel version and configuration (the schedstat keys such as
/// <c>wait_sum</c> appear only while schedstats are enabled, and were named <c>se.statistics.wait_sum</c> before 5.16),
/// plus typed accessors for the keys the SDK uses.
/// </summary>
public sealed class TaskSchedInfo
{
    // Known keys are looked up without allocating a string per line.
    private static readonly FrozenSet<string> KnownKeys = FrozenSet.Create(StringComparer.Ordinal,
        "se.exec_start", "se.vruntime", "se.sum_exec_runtime", "se.nr_migrations", "sum_sleep_runtime", "sum_block_runtime",
        "wait_start", "sleep_start", "block_start", "sleep_max", "block_max", "exec_max", "slice_max", "wait_max", "wait_sum",
        "wait_count", "iowait_sum", "iowait_count", "nr_migrations_cold", "nr_failed_migrations_affine",
        "nr_failed_migrations_running", "nr_failed_migrations_hot", "nr_forced_migrations", "nr_wakeups", "nr_wakeups_sync",
        "nr_wakeups_migrate", "nr_wakeups_local", "nr_wakeups_remote", "nr_wakeups_affine", "nr_wakeups_affine_attempts",
        "nr_wakeups_passive", "nr_wakeups_idle", "avg_atom", "avg_per_cpu", "core_forceidle_sum", "nr_switches",
        "nr_voluntary_switches", "nr_involuntary_switches", "se.load.weight", "se.avg.load_sum", "se.avg.runnable_sum",
        "se.avg.util_sum", "se.avg.load_avg", "se.avg.runnable_avg", "se.avg.util_avg", "se.avg.last_update_time",
        "se.avg.util_est", "uclamp.min", "uclamp.max", "effective uclamp.min", "effective uclamp.max", "policy", "prio",
        "dl.runtime", "dl.deadline", "se.slice", "ext.enabled", "clock-delta", "mm->numa_scan_seq", "numa_pages_migrated",
        "numa_preferred_nid", "total_numa_faults", "se.statistics.wait_sum", "se.statistics.wait_count",
        "se.statistics.iowait_sum", "se.statistics.wait_max");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownKeyLookup =
        KnownKeys.GetAlternateLookup<ReadOnlySpan<char>>();

    private TaskSchedInfo(string command, int pid, int threads, Dictionary<string, SchedValue> values)
    {
        Command = command;
        Pid = pid;
        Threads = threads;
        Values = values;
    }

    /// <summary>The task's command name (comm).</summary>
    public string Command { get; }

    /// <summary>The task id as seen from the reader's pid namespace.</summary>
    public int Pid { get; }

    /// <summary>Threads in the task's thread group.</summary>
    public int Threads { get; }

    /// <summary>Every <c>key : value</c> line, by key.</summary>
    public IReadOnlyDictionary<string, SchedValue> Values { get; }

    /// <summary>Nanoseconds the task has run (<c>se.sum_exec_runtime</c>).</summary>
    public long? SumExecRuntimeNs => Get("se.sum_exec_runtime");

    /// <summary>Nanoseconds spent waiting runnable (<c>wait_sum</c>); null while schedstats are off.</summary>
    public long? WaitSumNs => Get("wait_sum") ?? Get("se.statistics.wait_sum");

    /// <summary>How many times the task waited runnable (<c>wait_count</c>); null while schedstats are off.</summary>
    public long? WaitCount => Get("wait_count") ?? Get("se.statistics.wait_count");

    /// <summary>Nanoseconds spent waiting for I/O (<c>iowait_sum</c>); null while schedstats are off.</summary>
    public long? IoWaitSumNs => Get("iowait_sum") ?? Get("se.statistics.iowait_sum");

    /// <summary>All context switches (<c>nr_switches</c>).</summary>
    public long? NrSwitches => Get("nr_switches");

    /// <summary>Voluntary context switches (<c>nr_voluntary_switches</c>).</summary>
    public long? NrVoluntarySwitches => Get("nr_voluntary_switches");

    /// <summary>Involuntary context switches (<c>nr_involuntary_switches</c>).</summary>
    public long? NrInvoluntarySwitches => Get("nr_involuntary_switches");

    /// <summary>Migrations between CPUs (<c>se.nr_migrations</c>).</summary>
    public long? NrMigrations => Get("se.nr_migrations");

    /// <summary>The scheduling policy number (0 normal, 1 FIFO, 2 RR, 3 batch, 5 idle, 6 deadline, 7 ext).</summary>
    public long? Policy => Get("policy");

    /// <summary>The kernel priority (120 is nice 0).</summary>
    public long? Priority => Get("prio");

    /// <summary>Whether the task runs under a sched_ext scheduler (<c>ext.enabled</c>); null on kernels without sched_ext.</summary>
    public bool? ExtEnabled => Get("ext.enabled") is { } v ? v != 0 : null;

    /// <summary>The value of a key, or null when the kernel did not print it.</summary>
    /// <param name="key">The key as printed, e.g. <c>se.sum_exec_runtime</c>.</param>
    public long? Get(string key) => Values.TryGetValue(key, out var v) ? v.Value : null;

    /// <summary>Parses the text of <c>/proc/&lt;pid&gt;/sched</c>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    internal static Outcome<TaskSchedInfo, MetricsFailure> Parse(string text, string file = "/proc/self/sched")
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), file);
    }

    /// <summary>Parses the text of <c>/proc/&lt;pid&gt;/sched</c> given as UTF-8 bytes.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    internal static Outcome<TaskSchedInfo, MetricsFailure> Parse(ReadOnlySpan<byte> utf8, string file = "/proc/self/sched")
    {
        ArgumentNullException.ThrowIfNull(file);
        if (ProcText.CheckComplete(utf8, file) is { } incomplete)
        {
            return incomplete;
        }

        var lines = new ProcLineReader(utf8);
        lines.TryNext(out var header);
        if (!TryParseHeader(header, out var command, out var pid, out var threads))
        {
            return Malformed(file, 1, "'comm (pid, #threads: n)'", header);
        }

        if (!lines.TryNext(out var rule) || rule.IsEmpty || rule.IndexOfAnyExcept((byte)'-') >= 0)
        {
            return Malformed(file, 2, "a line of dashes", rule);
        }

        var values = new Dictionary<string, SchedValue>(64, StringComparer.Ordinal);
        Span<char> keyChars = stackalloc char[64];
        while (lines.TryNext(out var line))
        {
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                // NUMA lines such as "current_node=0, numa_group_id=0" have no colon.
                continue;
            }

            var key = line[..colon].Trim((byte)' ');
            if (key.IsEmpty || !TryParseValue(line[(colon + 1)..].Trim((byte)' '), out var value))
            {
                return Malformed(file, lines.LineNumber, "'key : number' or 'key : milliseconds.nnnnnn'", line);
            }

            values[KeyString(key, keyChars)] = value;
        }

        return new TaskSchedInfo(command, pid, threads, values);
    }

    private static string KeyString(ReadOnlySpan<byte> key, Span<char> buffer)
    {
        if (key.Length <= buffer.Length && System.Text.Ascii.IsValid(key))
        {
            var chars = buffer[..key.Length];
            System.Text.Ascii.ToUtf16(key, chars, out _);
            if (KnownKeyLookup.TryGetValue(chars, out var known))
            {
                return known;
            }
        }

        return Encoding.UTF8.GetString(key);
    }

    private static bool TryParseHeader(ReadOnlySpan<byte> header, out string command, out int pid, out int threads)
    {
        command = "";
        pid = threads = 0;
        // The command may itself contain " (", so the last one opens the pid part.
        var open = header.LastIndexOf(" ("u8);
        if (open < 0 || header.IsEmpty || header[^1] != (byte)')')
        {
            return false;
        }

        var inner = header[(open + 2)..^1];
        var comma = inner.IndexOf(", #threads: "u8);
        if (comma < 0
            || !ProcText.TryParseUInt64(inner[..comma], out var p) || p > int.MaxValue
            || !ProcText.TryParseUInt64(inner[(comma + ", #threads: "u8.Length)..], out var t) || t > int.MaxValue)
        {
            return false;
        }

        command = Encoding.UTF8.GetString(header[..open]);
        pid = (int)p;
        threads = (int)t;
        return true;
    }

    private static bool TryParseValue(ReadOnlySpan<byte> text, out SchedValue value)
    {
        value = default;
        var dot = text.IndexOf((byte)'.');
        if (dot < 0)
        {
            if (!ProcText.TryParseInt64(text, out var integer))
            {
                return false;
            }

            value = new SchedValue(integer, false);
            return true;
        }

        // "%lld.%06ld": milliseconds, then the nanoseconds below them.
        var fraction = text[(dot + 1)..];
        if (fraction.Length is 0 or > 6
            || !ProcText.TryParseInt64(text[..dot], out var ms)
            || !ProcText.TryParseUInt64(fraction, out var below)
            || ms is > long.MaxValue / 1_000_000 or < long.MinValue / 1_000_000)
        {
            return false;
        }

        for (var i = fraction.Length; i < 6; i++)
        {
            below *= 10;
        }

        var negative = text[0] == (byte)'-';
        if (Math.Abs(ms) > (long.MaxValue - (long)below) / 1_000_000)
        {
            return false;
        }

        var ns = (Math.Abs(ms) * 1_000_000) + (long)below;
        value = new SchedValue(negative ? -ns : ns, true);
        return true;
    }

    private static Outcome<TaskSchedInfo, MetricsFailure> Malformed(string file, int line, string expected, ReadOnlySpan<byte> found) =>
        MetricsFailure.Malformed(file, line, expected, ProcText.Excerpt(found));
}
