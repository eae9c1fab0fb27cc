using System.Globalization;
using System.Text.RegularExpressions;
using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Workloads;

/// <summary>How the matches of an <see cref="OutputKpi"/> pattern combine into one value.</summary>
public enum OutputKpiAggregate
{
    /// <summary>The last match: a summary line printed at the end.</summary>
    Last,

    /// <summary>The largest match: the worst latency over several threads.</summary>
    Max,

    /// <summary>The sum of the matches: a throughput reported per worker.</summary>
    Sum,
}

/// <summary>
/// A KPI a command prints rather than its makespan: a regular expression with one capture group that reads the number
/// from the command's output (runcmd passes the command's standard output and error on, the last 4 KiB of them are read),
/// the metric name it is recorded under in <see cref="WorkloadResult.Metrics"/>, and the direction it improves.
/// Create it with <see cref="TryCreate"/>, which checks the pattern.
/// </summary>
public sealed record OutputKpi
{
    /// <summary>How long one match may take before the KPI counts as not found.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The longest pattern accepted.</summary>
    public const int MaxPatternLength = 1024;

    /// <summary>The most output read, from its end.</summary>
    public const int MaxOutputChars = 64 * 1024;

    private readonly Regex _regex;

    private OutputKpi(string metric, Regex regex, KpiDirection direction, OutputKpiAggregate aggregate)
    {
        Metric = metric;
        _regex = regex;
        Direction = direction;
        Aggregate = aggregate;
    }

    /// <summary>The metric name the value is recorded under, e.g. <c>max_latency_us</c>.</summary>
    public string Metric { get; }

    /// <summary>The pattern.</summary>
    public string Pattern => _regex.ToString();

    /// <summary>Which way the KPI improves.</summary>
    public KpiDirection Direction { get; }

    /// <summary>How several matches combine.</summary>
    public OutputKpiAggregate Aggregate { get; }

    /// <summary>
    /// Checks and builds a KPI: <paramref name="metric"/> is letters, digits and '_'; <paramref name="pattern"/> is a
    /// .NET regular expression of at most <see cref="MaxPatternLength"/> characters with exactly one capture group.
    /// </summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="pattern">The regular expression.</param>
    /// <param name="direction">Which way it improves.</param>
    /// <param name="aggregate">How several matches combine.</param>
    /// <param name="kpi">The KPI, or null.</param>
    /// <param name="problem">What is wrong with the pattern or name, or null.</param>
    public static bool TryCreate(string metric, string pattern, KpiDirection direction, OutputKpiAggregate aggregate, out OutputKpi? kpi, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(pattern);
        kpi = null;
        problem = null;
        if (metric.Length is 0 or > 64 || !metric.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            problem = $"the KPI name '{metric}' must be 1 to 64 letters, digits or '_'";
            return false;
        }

        if (pattern.Length is 0 or > MaxPatternLength)
        {
            problem = $"the KPI regex must be 1 to {MaxPatternLength} characters, got {pattern.Length}";
            return false;
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            problem = $"the KPI regex '{pattern}' is not a valid regular expression: {e.Message}";
            return false;
        }

        var groups = regex.GetGroupNumbers().Length - 1;
        if (groups != 1)
        {
            problem = $"the KPI regex '{pattern}' must have exactly one capture group around the number, it has {groups} (use (?:...) for grouping)";
            return false;
        }

        kpi = new OutputKpi(metric, regex, direction, aggregate);
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/>, for patterns known to be valid; throws <see cref="ArgumentException"/> otherwise.</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="pattern">The regular expression.</param>
    /// <param name="direction">Which way it improves.</param>
    /// <param name="aggregate">How several matches combine.</param>
    public static OutputKpi Create(string metric, string pattern, KpiDirection direction, OutputKpiAggregate aggregate = OutputKpiAggregate.Last) =>
        TryCreate(metric, pattern, direction, aggregate, out var kpi, out var problem) ? kpi! : throw new ArgumentException(problem, nameof(pattern));

    /// <summary>
    /// Reads the KPI from <paramref name="output"/> (its last <see cref="MaxOutputChars"/> characters). Returns null and a
    /// <see cref="WorkloadFailureKind.KpiNotFound"/> failure when nothing matches, a capture is not a number, or the
    /// match runs past <see cref="MatchTimeout"/>.
    /// </summary>
    /// <param name="output">The command's output.</param>
    /// <param name="failure">Why no value was read.</param>
    public double? TryRead(string output, out WorkloadFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(output);
        failure = null;
        var text = output.Length <= MaxOutputChars ? output : output[^MaxOutputChars..];
        var values = new List<double>();
        try
        {
            foreach (Match m in _regex.Matches(text))
            {
                var captured = m.Groups[1].Value.Trim();
                if (!double.TryParse(captured, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                {
                    failure = new WorkloadFailure(WorkloadFailureKind.KpiNotFound,
                        $"The KPI regex '{Pattern}' captured '{Shorten(captured)}', which is not a number.",
                        "Put the capture group around the digits alone, e.g. 'Time: ([0-9.]+)'.");
                    return null;
                }

                values.Add(v);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            failure = new WorkloadFailure(WorkloadFailureKind.KpiNotFound,
                $"The KPI regex '{Pattern}' ran past {MatchTimeout.TotalSeconds:F0} s on the command's output.",
                "Anchor the pattern to the line that holds the number and avoid nested quantifiers.");
            return null;
        }

        if (values.Count == 0)
        {
            failure = new WorkloadFailure(WorkloadFailureKind.KpiNotFound,
                $"The KPI regex '{Pattern}' matched nothing in the command's output (last lines: '{Shorten(LastLines(text))}').",
                "Run the command by hand and fit the pattern to the line that prints the number.");
            return null;
        }

        return Aggregate switch
        {
            OutputKpiAggregate.Max => values.Max(),
            OutputKpiAggregate.Sum => values.Sum(),
            _ => values[^1],
        };
    }

    /// <summary>Two KPIs are equal when they read the same metric the same way.</summary>
    /// <param name="other">The other KPI.</param>
    public bool Equals(OutputKpi? other) =>
        other is not null && Metric == other.Metric && Pattern == other.Pattern && Direction == other.Direction && Aggregate == other.Aggregate;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Metric, Pattern, Direction, Aggregate);

    /// <inheritdoc />
    public override string ToString() => $"{Metric} ({Direction}, {Aggregate} of /{Pattern}/)";

    private static string LastLines(string text) => string.Join(" | ", text.TrimEnd().Split('\n').TakeLast(3).Select(l => l.Trim()));

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
