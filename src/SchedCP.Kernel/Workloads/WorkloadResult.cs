using System.Globalization;
using System.Text.Json;

namespace SchedCP.Kernel.Workloads;

/// <summary>One task of a <c>longtail</c> run.</summary>
/// <param name="Name">The task's process name.</param>
/// <param name="IsLong">True for a long task.</param>
/// <param name="BurnMs">CPU time the task burned, in milliseconds.</param>
/// <param name="CompletionMs">When it finished, in milliseconds from the start of the run.</param>
public sealed record LongTailTask(string Name, bool IsLong, double BurnMs, double CompletionMs);

/// <summary>
/// The JSON object a benchmark workload printed: every numeric top-level field in <see cref="Metrics"/> (by its JSON
/// name, e.g. <c>makespan_ms</c>, <c>p99_us</c>, <c>requests_per_second</c>), plus typed accessors.
/// </summary>
/// <param name="Workload">The workload's name from its output.</param>
/// <param name="Metrics">Numeric top-level fields.</param>
/// <param name="Tasks">The per-task completions of a <c>longtail</c> run; empty for the others.</param>
/// <param name="Json">The object as printed.</param>
public sealed record WorkloadResult(string Workload, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<LongTailTask> Tasks, string Json)
{
    /// <summary>Makespan in milliseconds (<c>longtail</c>, <c>buildlike</c>).</summary>
    public double? MakespanMs => Get("makespan_ms");

    /// <summary>99th-percentile wakeup latency in microseconds (<c>wakeup</c>).</summary>
    public double? P99Microseconds => Get("p99_us");

    /// <summary>Requests per second (<c>wakeup</c>).</summary>
    public double? RequestsPerSecond => Get("requests_per_second");

    /// <summary>A metric by its JSON name, or null.</summary>
    /// <param name="name">The field name.</param>
    public double? Get(string name) => Metrics.TryGetValue(name, out var v) ? v : null;

    /// <summary>
    /// Parses a workload's standard output: the last line that is a JSON object (workloads print exactly one; anything
    /// before it is ignored). Returns null and a <see cref="WorkloadFailureKind.MalformedOutput"/> failure otherwise.
    /// </summary>
    /// <param name="stdout">The workload's standard output.</param>
    /// <param name="failure">Why nothing was parsed.</param>
    internal static WorkloadResult? TryParse(string stdout, out WorkloadFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        failure = null;
        var line = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{') && l.EndsWith('}'));
        if (line is null)
        {
            failure = new WorkloadFailure(WorkloadFailureKind.MalformedOutput, "The workload printed no JSON object.",
                "Run the binary by hand and check its standard error; rebuild with native/workloads/build.sh.");
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("workload", out var name) || name.ValueKind != JsonValueKind.String)
            {
                failure = new WorkloadFailure(WorkloadFailureKind.MalformedOutput, "The JSON object has no \"workload\" name.",
                    "Only the binaries under native/workloads print results this parser reads.");
                return null;
            }

            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var p in root.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number)
                {
                    metrics[p.Name] = p.Value.GetDouble();
                }
            }

            var tasks = new List<LongTailTask>();
            if (root.TryGetProperty("tasks", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in array.EnumerateArray())
                {
                    tasks.Add(new LongTailTask(
                        t.GetProperty("name").GetString() ?? "",
                        string.Equals(t.GetProperty("kind").GetString(), "long", StringComparison.Ordinal),
                        t.GetProperty("burn_ms").GetDouble(),
                        t.GetProperty("completion_ms").GetDouble()));
                }
            }

            return new WorkloadResult(name.GetString()!, metrics, tasks, line);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            failure = new WorkloadFailure(WorkloadFailureKind.MalformedOutput, $"The workload's JSON could not be read: {e.Message}",
                "Rebuild the workloads with native/workloads/build.sh so binary and parser agree.");
            return null;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Workload}: " + string.Join(", ", Metrics.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G6}")));
}
