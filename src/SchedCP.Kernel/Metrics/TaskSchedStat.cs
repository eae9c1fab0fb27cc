using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// <c>/proc/&lt;pid&gt;/schedstat</c> of one task: three numbers written by the kernel's <c>proc_pid_schedstat</c>.
/// A kernel without scheduler info accounting writes <c>0 0 0</c>.
/// </summary>
/// <param name="RunNs">Nanoseconds the task has run (se.sum_exec_runtime).</param>
/// <param name="WaitNs">Nanoseconds the task has waited runnable on a runqueue (sched_info.run_delay).</param>
/// <param name="Timeslices">Timeslices the task has run (sched_info.pcount).</param>
internal readonly record struct TaskSchedStat(ulong RunNs, ulong WaitNs, ulong Timeslices)
{
    /// <summary>Parses the text of <c>/proc/&lt;pid&gt;/schedstat</c>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    public static Outcome<TaskSchedStat, MetricsFailure> Parse(string text, string file = "/proc/self/schedstat")
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), file);
    }

    /// <summary>Parses the text of <c>/proc/&lt;pid&gt;/schedstat</c> given as UTF-8 bytes.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    public static Outcome<TaskSchedStat, MetricsFailure> Parse(ReadOnlySpan<byte> utf8, string file = "/proc/self/schedstat")
    {
        ArgumentNullException.ThrowIfNull(file);
        if (ProcText.CheckComplete(utf8, file) is { } incomplete)
        {
            return incomplete;
        }

        var line = utf8[..^1];
        var fields = new ProcFieldReader(line);
        if (line.Contains((byte)'\n')
            || !fields.TryNextUInt64(out var run)
            || !fields.TryNextUInt64(out var wait)
            || !fields.TryNextUInt64(out var slices)
            || !fields.AtEnd)
        {
            return MetricsFailure.Malformed(file, 1, "one line of three numbers", ProcText.Excerpt(line));
        }

        return new TaskSchedStat(run, wait, slices);
    }
}
