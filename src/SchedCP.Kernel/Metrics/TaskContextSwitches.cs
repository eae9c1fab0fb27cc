using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// The context-switch counters of one task from <c>/proc/&lt;pid&gt;/status</c>, present on every kernel (the fallback
/// when <c>/proc/&lt;pid&gt;/sched</c> is absent).
/// </summary>
/// <param name="Voluntary">Switches because the task blocked or yielded (<c>voluntary_ctxt_switches</c>).</param>
/// <param name="Involuntary">Switches because the task was preempted (<c>nonvoluntary_ctxt_switches</c>).</param>
internal readonly record struct TaskContextSwitches(ulong Voluntary, ulong Involuntary)
{
    /// <summary>Parses the text of <c>/proc/&lt;pid&gt;/status</c>, keeping only the context-switch counters.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    public static Outcome<TaskContextSwitches, MetricsFailure> ParseStatus(string text, string file = "/proc/self/status")
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseStatus(Encoding.UTF8.GetBytes(text), file);
    }

    /// <summary>Parses the text of <c>/proc/&lt;pid&gt;/status</c> given as UTF-8 bytes.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    public static Outcome<TaskContextSwitches, MetricsFailure> ParseStatus(ReadOnlySpan<byte> utf8, string file = "/proc/self/status")
    {
        ArgumentNullException.ThrowIfNull(file);
        if (ProcText.CheckComplete(utf8, file) is { } incomplete)
        {
            return incomplete;
        }

        ulong? voluntary = null, involuntary = null;
        var lines = new ProcLineReader(utf8);
        while (lines.TryNext(out var line))
        {
            ref var target = ref voluntary;
            ReadOnlySpan<byte> rest;
            if (line.StartsWith("voluntary_ctxt_switches:"u8))
            {
                rest = line["voluntary_ctxt_switches:"u8.Length..];
            }
            else if (line.StartsWith("nonvoluntary_ctxt_switches:"u8))
            {
                target = ref involuntary;
                rest = line["nonvoluntary_ctxt_switches:"u8.Length..];
            }
            else
            {
                continue;
            }

            var fields = new ProcFieldReader(rest);
            if (!fields.TryNextUInt64(out var value) || !fields.AtEnd)
            {
                return 
                    MetricsFailure.Malformed(file, lines.LineNumber, "one number after the colon", ProcText.Excerpt(line));
            }

            target = value;
        }

        if (voluntary is null || involuntary is null)
        {
            return MetricsFailure.Malformed(
                file, 0, "'voluntary_ctxt_switches' and 'nonvoluntary_ctxt_switches' lines", "none (truncated?)");
        }

        return new TaskContextSwitches(voluntary.Value, involuntary.Value);
    }
}
