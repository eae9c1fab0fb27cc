using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Parses <c>/proc/schedstat</c> (versions 15, 16 and 17). A <c>cpuN</c> line carries exactly nine numbers, written by
/// the kernel's <c>show_schedstat</c> as: yld_count, 0, sched_count, sched_goidle, ttwu_count, ttwu_local,
/// rq_cpu_time, run_delay, pcount.
/// </summary>
internal static class SchedStatParser
{
    private const int CpuFields = 9;

    /// <summary>Parses <c>/proc/schedstat</c> text.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store in the snapshot.</param>
    public static Outcome<SchedStatSnapshot, MetricsFailure> Parse(string text, string file = "/proc/schedstat", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), file, timestamp);
    }

    /// <summary>Parses <c>/proc/schedstat</c> text given as UTF-8 bytes.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store in the snapshot.</param>
    public static Outcome<SchedStatSnapshot, MetricsFailure> Parse(ReadOnlySpan<byte> utf8, string file = "/proc/schedstat", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (ProcText.CheckComplete(utf8, file) is { } incomplete)
        {
            return incomplete;
        }

        var lines = new ProcLineReader(utf8);
        lines.TryNext(out var first);
        var header = new ProcFieldReader(first);
        if (!header.TryNext(out var word) || !word.SequenceEqual("version"u8)
            || !header.TryNextUInt64(out var version) || !header.AtEnd)
        {
            return Malformed(file, 1, "'version N'", first);
        }

        if (version is < 15 or > 17)
        {
            return Malformed(file, 1, "schedstat version 15, 16 or 17", first);
        }

        ulong? jiffies = null;
        var cpus = new List<CpuSchedStat>(Environment.ProcessorCount);
        Span<ulong> v = stackalloc ulong[CpuFields];
        while (lines.TryNext(out var line))
        {
            var fields = new ProcFieldReader(line);
            if (!fields.TryNext(out var key))
            {
                continue;
            }

            if (key.SequenceEqual("timestamp"u8))
            {
                if (!fields.TryNextUInt64(out var j) || !fields.AtEnd)
                {
                    return Malformed(file, lines.LineNumber, "'timestamp N'", line);
                }

                jiffies = j;
            }
            else if (key.StartsWith("cpu"u8))
            {
                if (!ProcText.TryParseUInt64(key[3..], out var cpu) || cpu > int.MaxValue)
                {
                    return Malformed(file, lines.LineNumber, "'cpuN' with N a CPU number", line);
                }

                var count = 0;
                while (count < CpuFields && fields.TryNextUInt64(out v[count]))
                {
                    count++;
                }

                if (count != CpuFields || !fields.AtEnd)
                {
                    return Malformed(file, lines.LineNumber, "exactly 9 numbers after 'cpuN'", line);
                }

                // v[1] is the legacy O(1)-scheduler expiry count, always 0.
                cpus.Add(new CpuSchedStat((int)cpu, v[0], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
            }
            else if (!key.StartsWith("domain"u8))
            {
                return Malformed(file, lines.LineNumber, "a 'timestamp', 'cpuN' or 'domainN' line", line);
            }
        }

        if (jiffies is null)
        {
            return MetricsFailure.Malformed(file, 0, "a 'timestamp' line", "none (truncated?)");
        }

        if (cpus.Count == 0)
        {
            return MetricsFailure.Malformed(file, 0, "at least one 'cpuN' line", "none (truncated?)");
        }

        return new SchedStatSnapshot(timestamp, (int)version, jiffies.Value, cpus);
    }

    private static Outcome<SchedStatSnapshot, MetricsFailure> Malformed(string file, int line, string expected, ReadOnlySpan<byte> found) =>
        MetricsFailure.Malformed(file, line, expected, ProcText.Excerpt(found));
}
