using System.Text.Json;
using System.Text.Json.Serialization;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>
/// Reads and writes task DAGs as JSON (schema: <c>task-dag.schema.json</c> beside this file). Durations are
/// seconds; resource kinds are <c>local</c>, <c>cloud</c>, <c>api</c>, <c>human</c>.
/// </summary>
public static class TaskDagJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses and validates a DAG.</summary>
    /// <param name="json">The document.</param>
    /// <returns>The DAG, or <see cref="RuntimeErrorCode.InvalidInput"/> naming what is wrong.</returns>
    public static Outcome<TaskDag, RuntimeError> Parse(string json)
    {
        DagDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<DagDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"the DAG document is not valid JSON for the task-dag schema at {ex.Path ?? "$"}: {ex.Message}");
        }

        if (doc?.Tasks is null)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "the DAG document has no 'tasks' array: see task-dag.schema.json");
        }

        var problems = new List<string>();
        var specs = new List<TaskSpec>();
        foreach (var t in doc.Tasks)
        {
            var spec = new TaskSpec(t.Id ?? string.Empty)
            {
                DependsOn = t.DependsOn ?? [],
                Priority = t.Priority,
                Deadline = t.Deadline,
                BatchKey = t.BatchKey,
                Requirements = t.Requirements ?? ResourceRequirements.Default,
                Retry = t.Retry is null ? RetryPolicy.Default : new RetryPolicy(t.Retry.MaxAttempts, Seconds(t.Retry.BackoffSeconds)),
            };
            var estimates = new List<TaskEstimate>();
            foreach (var (kindName, estimate) in t.Estimates ?? [])
            {
                if (!Enum.TryParse<ResourceKind>(kindName, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(kindName, out _))
                {
                    problems.Add($"task '{spec.Id}' names unknown resource kind '{kindName}': use local, cloud, api or human");
                    continue;
                }

                estimates.Add(new TaskEstimate(kind, Seconds(estimate.DurationSeconds), estimate.Cost));
            }

            spec.Estimates = estimates;
            specs.Add(spec);
        }

        if (problems.Count > 0)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"DAG '{doc.Id}' is invalid: " + string.Join("; ", problems) + ".");
        }

        return TaskDagBuilder.Validate(doc.Id ?? string.Empty, specs);
    }

    /// <summary>Writes a DAG in the schema's form (what <see cref="Parse"/> reads back).</summary>
    /// <param name="dag">The DAG.</param>
    /// <returns>The JSON text.</returns>
    public static string Write(TaskDag dag)
    {
        ArgumentNullException.ThrowIfNull(dag);
        var doc = new DagDocument
        {
            Id = dag.Id,
            Tasks = [.. dag.Tasks.Select(t => new TaskDocument
            {
                Id = t.Id,
                DependsOn = t.DependsOn.Count == 0 ? null : [.. t.DependsOn],
                Priority = t.Priority,
                Deadline = t.Deadline,
                BatchKey = t.BatchKey,
                Requirements = t.Requirements,
                Retry = new RetryDocument { MaxAttempts = t.Retry.MaxAttempts, BackoffSeconds = t.Retry.Backoff.TotalSeconds },
                Estimates = t.Estimates.ToDictionary(e => e.Kind.ToString().ToLowerInvariant(), e => new EstimateDocument { DurationSeconds = e.Duration.TotalSeconds, Cost = e.Cost }),
            })],
        };
        return JsonSerializer.Serialize(doc, Options);
    }

    // Rounded to whole ticks so a written DAG reads back to exactly the same durations.
    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)) : TimeSpan.Zero;

    private sealed class DagDocument
    {
        public string? Id { get; set; }

        public List<TaskDocument>? Tasks { get; set; }
    }

    private sealed class TaskDocument
    {
        public string? Id { get; set; }

        public List<string>? DependsOn { get; set; }

        public ResourceRequirements? Requirements { get; set; }

        public Dictionary<string, EstimateDocument>? Estimates { get; set; }

        public int Priority { get; set; }

        public DateTimeOffset? Deadline { get; set; }

        public RetryDocument? Retry { get; set; }

        public string? BatchKey { get; set; }
    }

    private sealed class EstimateDocument
    {
        public double DurationSeconds { get; set; }

        public decimal Cost { get; set; }
    }

    private sealed class RetryDocument
    {
        public int MaxAttempts { get; set; } = 3;

        public double BackoffSeconds { get; set; }
    }
}
