using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>Parses PSI files (<c>/proc/pressure/*</c>) and <c>/proc/loadavg</c>.</summary>
internal static class PressureParser
{
    /// <summary>Parses a PSI file's text.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store in the snapshot.</param>
    public static Outcome<PressureSnapshot, MetricsFailure> Parse(string text, string file = "/proc/pressure/cpu", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), file, timestamp);
    }

    /// <summary>Parses a PSI file's text given as UTF-8 bytes.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store in the snapshot.</param>
    public static Outcome<PressureSnapshot, MetricsFailure> Parse(ReadOnlySpan<byte> utf8, string file = "/proc/pressure/cpu", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (ProcText.CheckComplete(utf8, file) is { } incomplete)
        {
            return incomplete;
        }

        PressureLine? some = null, full = null;
        var lines = new ProcLineReader(utf8);
        while (lines.TryNext(out var line))
        {
            var fields = new ProcFieldReader(line);
            if (!fields.TryNext(out var kind))
            {
                continue;
            }

            ref var target = ref some;
            if (kind.SequenceEqual("full"u8))
            {
                target = ref full;
            }
            else if (!kind.SequenceEqual("some"u8))
            {
                return Malformed(file, lines.LineNumber, "a 'some' or 'full' line", line);
            }

            if (target is not null
                || !TryNamed(ref fields, "avg10="u8, out var avg10)
                || !TryNamed(ref fields, "avg60="u8, out var avg60)
                || !TryNamed(ref fields, "avg300="u8, out var avg300)
                || !fields.TryNext(out var totalField)
                || !totalField.StartsWith("total="u8)
                || !ProcText.TryParseUInt64(totalField["total="u8.Length..], out var total)
                || !fields.AtEnd)
            {
                return Malformed(file, lines.LineNumber, "one line of 'avg10=F avg60=F avg300=F total=N'", line);
            }

            target = new PressureLine(avg10, avg60, avg300, total);
        }

        if (some is null)
        {
            return MetricsFailure.Malformed(file, 0, "a 'some' line", "none (truncated?)");
        }

        return new PressureSnapshot(timestamp, some.Value, full);
    }

    /// <summary>Parses the text of <c>/proc/loadavg</c>: <c>1.00 0.50 0.25 2/150 4242</c>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store.</param>
    public static Outcome<LoadAverage, MetricsFailure> ParseLoadAverage(string text, string file = "/proc/loadavg", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseLoadAverage(Encoding.UTF8.GetBytes(text), file, timestamp);
    }

    /// <summary>Parses the text of <c>/proc/loadavg</c> given as UTF-8 bytes.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <param name="timestamp">The monotonic capture time to store.</param>
    public static Outcome<LoadAverage, MetricsFailure> ParseLoadAverage(ReadOnlySpan<byte> utf8, string file = "/proc/loadavg", TimeSpan timestamp = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (ProcText.CheckComplete(utf8, file) is { } incomplete)
        {
            return incomplete;
        }

        var line = utf8[..^1];
        var fields = new ProcFieldReader(line);
        if (line.Contains((byte)'\n')
            || !fields.TryNext(out var f1) || !ProcText.TryParseDouble(f1, out var l1) || l1 < 0
            || !fields.TryNext(out var f5) || !ProcText.TryParseDouble(f5, out var l5) || l5 < 0
            || !fields.TryNext(out var f15) || !ProcText.TryParseDouble(f15, out var l15) || l15 < 0
            || !fields.TryNext(out var tasks)
            || tasks.IndexOf((byte)'/') is var slash && slash < 0
            || !ProcText.TryParseUInt64(tasks[..slash], out var runnable)
            || !ProcText.TryParseUInt64(tasks[(slash + 1)..], out var total)
            || !fields.TryNextUInt64(out var lastPid)
            || !fields.AtEnd)
        {
            return MetricsFailure.Malformed(file, 1, "'L1 L5 L15 runnable/total lastpid'", ProcText.Excerpt(line));
        }

        return new LoadAverage(timestamp, l1, l5, l15, runnable, total, lastPid);
    }

    private static bool TryNamed(ref ProcFieldReader fields, ReadOnlySpan<byte> name, out double value)
    {
        value = 0;
        return fields.TryNext(out var field)
            && field.StartsWith(name)
            && ProcText.TryParseDouble(field[name.Length..], out value)
            && value >= 0;
    }

    private static Outcome<PressureSnapshot, MetricsFailure> Malformed(string file, int line, string expected, ReadOnlySpan<byte> found) =>
        MetricsFailure.Malformed(file, line, expected, ProcText.Excerpt(found));
}
