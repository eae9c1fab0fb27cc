using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>Parses the text of <c>/proc/stat</c>.</summary>
internal static class ProcStatParser
{
    private const int RequiredCpuFields = 8;

    /// <summary>Parses <c>/proc/stat</c> text.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store in the snapshot.</param>
    public static Outcome<ProcStatSnapshot, MetricsFailure> Parse(string text, string file = "/proc/stat", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), file, timestamp);
    }

    /// <summary>Parses <c>/proc/stat</c> text given as UTF-8 bytes.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store in the snapshot.</param>
    public static Outcome<ProcStatSnapshot, MetricsFailure> Parse(ReadOnlySpan<byte> utf8, string file = "/proc/stat", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (ProcText.CheckComplete(utf8, file) is { } incomplete)
        {
            return incomplete;
        }

        CpuTimes? total = null;
        var cpus = new List<CpuTimes>(Environment.ProcessorCount);
        ulong? ctxt = null, processes = null, running = null, blocked = null, btime = null;
        var lines = new ProcLineReader(utf8);
        while (lines.TryNext(out var line))
        {
            var fields = new ProcFieldReader(line);
            if (!fields.TryNext(out var key))
            {
                continue;
            }

            if (key.StartsWith("cpu"u8))
            {
                var cpu = -1;
                if (key.Length > 3)
                {
                    if (!ProcText.TryParseUInt64(key[3..], out var n) || n > int.MaxValue)
                    {
                        return Malformed(file, lines.LineNumber, "'cpu' or 'cpuN' with N a CPU number", line);
                    }

                    cpu = (int)n;
                }

                if (!TryParseCpu(ref fields, cpu, out var times))
                {
                    return Malformed(file, lines.LineNumber, $"{RequiredCpuFields} to 10 tick counts after '{Encoding.UTF8.GetString(key)}'", line);
                }

                if (cpu < 0)
                {
                    if (total is not null)
                    {
                        return Malformed(file, lines.LineNumber, "a single aggregate 'cpu' line", line);
                    }

                    total = times;
                }
                else
                {
                    cpus.Add(times);
                }

                continue;
            }

            ref var target = ref ctxt;
            if (key.SequenceEqual("ctxt"u8))
            {
                target = ref ctxt;
            }
            else if (key.SequenceEqual("processes"u8))
            {
                target = ref processes;
            }
            else if (key.SequenceEqual("procs_running"u8))
            {
                target = ref running;
            }
            else if (key.SequenceEqual("procs_blocked"u8))
            {
                target = ref blocked;
            }
            else if (key.SequenceEqual("btime"u8))
            {
                target = ref btime;
            }
            else
            {
                // intr, softirq and anything newer kernels add.
                continue;
            }

            if (!fields.TryNextUInt64(out var value) || !fields.AtEnd)
            {
                return Malformed(file, lines.LineNumber, $"one number after '{Encoding.UTF8.GetString(key)}'", line);
            }

            target = value;
        }

        var missing = total is null ? "the aggregate 'cpu' line"
            : cpus.Count == 0 ? "at least one 'cpuN' line"
            : ctxt is null ? "a 'ctxt' line"
            : processes is null ? "a 'processes' line"
            : running is null ? "a 'procs_running' line"
            : blocked is null ? "a 'procs_blocked' line"
            : null;
        if (missing is not null)
        {
            return MetricsFailure.Malformed(file, 0, missing, "none (truncated?)");
        }

        return new ProcStatSnapshot(
            timestamp, total!.Value, cpus, ctxt!.Value, processes!.Value, running!.Value, blocked!.Value, btime ?? 0);
    }

    private static bool TryParseCpu(ref ProcFieldReader fields, int cpu, out CpuTimes times)
    {
        Span<ulong> v = stackalloc ulong[10];
        var count = 0;
        while (fields.TryNext(out var field))
        {
            if (count == v.Length || !ProcText.TryParseUInt64(field, out v[count]))
            {
                times = default;
                return false;
            }

            count++;
        }

        times = new CpuTimes(cpu, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
        return count >= RequiredCpuFields;
    }

    private static Outcome<ProcStatSnapshot, MetricsFailure> Malformed(string file, int line, string expected, ReadOnlySpan<byte> found) =>
        MetricsFailure.Malformed(file, line, expected, ProcText.Excerpt(found));
}
