using System.Globalization;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Parses the CSV that <c>perf stat -x,</c> writes: <c>value,unit,event,run-time,percent,metric-value,metric-unit</c>,
/// where value may be <c>&lt;not supported&gt;</c> or <c>&lt;not counted&gt;</c>. Comment (<c>#</c>) and blank lines are skipped.
/// </summary>
internal static class PerfStatParser
{
    private const string NotSupported = "<not supported>";
    private const string NotCounted = "<not counted>";

    /// <summary>Parses <c>perf stat -x,</c> output.</summary>
    /// <param name="text">The output.</param>
    /// <param name="file">A name for the text in failure messages.</param>
    /// <returns>The counters; a <see cref="MetricsFailureKind.Malformed"/> failure when a line is not perf CSV or there is none.</returns>
    public static Outcome<PerfStatReport, MetricsFailure> Parse(string text, string file = "perf stat output")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var counters = new List<PerfCounter>();
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (!TryParseLine(line, out var counter))
            {
                return MetricsFailure.Malformed(
                    file, lineNumber, "'value,unit,event,...' with value a number, <not supported> or <not counted>", Shorten(line));
            }

            counters.Add(counter);
        }

        if (counters.Count == 0)
        {
            return MetricsFailure.Malformed(file, 0, "at least one counter line", "none");
        }

        return new PerfStatReport(counters, TimeSpan.Zero);
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, out PerfCounter counter)
    {
        counter = null!;
        Span<Range> parts = stackalloc Range[16];
        var count = line.Split(parts, ',');
        if (count < 3)
        {
            return false;
        }

        var value = line[parts[0]].Trim();
        var unit = line[parts[1]].Trim().ToString();
        // PMU event names may contain commas ("cpu/event=0x3c,umask=0/"): with the trailing four columns the rest is the name.
        var trailing = count >= 7 ? 4 : count == 5 ? 2 : 0;
        var eventEnd = count - trailing;
        var eventName = line[parts[2].Start..parts[eventEnd - 1].End].Trim().ToString();
        if (eventName.Length == 0)
        {
            return false;
        }

        double? percent = null, metric = null;
        var metricUnit = "";
        if (trailing >= 2)
        {
            var pct = line[parts[eventEnd + 1]].Trim();
            if (!pct.IsEmpty)
            {
                if (!TryNumber(pct, out var p))
                {
                    return false;
                }

                percent = p;
            }
        }

        if (trailing == 4)
        {
            var m = line[parts[eventEnd + 2]].Trim();
            if (!m.IsEmpty)
            {
                if (!TryNumber(m, out var mv))
                {
                    return false;
                }

                metric = mv;
            }

            metricUnit = line[parts[eventEnd + 3]].Trim().ToString();
        }

        PerfCounterStatus status;
        double? number = null;
        if (value.SequenceEqual(NotSupported))
        {
            status = PerfCounterStatus.NotSupported;
        }
        else if (value.SequenceEqual(NotCounted))
        {
            status = PerfCounterStatus.NotCounted;
        }
        else if (TryNumber(value, out var v))
        {
            status = PerfCounterStatus.Counted;
            number = v;
        }
        else
        {
            return false;
        }

        counter = new PerfCounter(eventName, status, number, unit, percent, metric, metricUnit);
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Shorten(ReadOnlySpan<char> line) => line.Length > 60 ? string.Concat(line[..60], "...") : line.ToString();
}
