using System.Globalization;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>
/// Builds a <see cref="TaskDag"/>. <see cref="Build"/> validates the whole graph and returns every problem it
/// finds in one <see cref="RuntimeErrorCode.InvalidInput"/> error: duplicate ids, unknown dependencies, cycles
/// (named, e.g. <c>a -> b -> a</c>), tasks without estimates and bad numbers.
/// </summary>
/// <param name="dagId">The DAG's name, used in events and errors.</param>
public sealed class TaskDagBuilder(string dagId)
{
    private readonly List<TaskBuilder> _tasks = [];

    /// <summary>Adds a task.</summary>
    /// <param name="id">A unique id.</param>
    /// <param name="describe">Sets dependencies, requirements and estimates.</param>
    /// <returns>This builder.</returns>
    public TaskDagBuilder Task(string id, Action<TaskBuilder> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        var builder = new TaskBuilder(id);
        describe(builder);
        _tasks.Add(builder);
        return this;
    }

    /// <summary>Validates and builds the DAG.</summary>
    /// <returns>The DAG, or an <see cref="RuntimeErrorCode.InvalidInput"/> error listing every problem.</returns>
    public Outcome<TaskDag, RuntimeError> Build() => Validate(dagId, [.. _tasks.Select(t => t.Build())]);

    internal static Outcome<TaskDag, RuntimeError> Validate(string dagId, IReadOnlyList<TaskSpec> tasks)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(dagId))
        {
            problems.Add("the DAG id is empty: name the DAG");
        }

        if (tasks.Count == 0)
        {
            problems.Add("the DAG has no tasks: add at least one");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            if (string.IsNullOrWhiteSpace(task.Id))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"task #{i + 1} has an empty id: give every task a unique id"));
                continue;
            }

            if (!index.TryAdd(task.Id, i))
            {
                problems.Add($"duplicate task id '{task.Id}': task ids must be unique in a DAG");
            }

            CheckTask(task, problems);
        }

        foreach (var task in tasks)
        {
            foreach (var dependency in task.DependsOn)
            {
                if (!index.ContainsKey(dependency))
                {
                    problems.Add($"task '{task.Id}' depends on unknown task '{dependency}': add it or remove the dependency");
                }
                else if (string.Equals(dependency, task.Id, StringComparison.Ordinal))
                {
                    problems.Add($"task '{task.Id}' depends on itself: cycle {task.Id} -> {task.Id}");
                }
            }
        }

        if (problems.Count == 0)
        {
            var cycle = FindCycle(tasks, index);
            if (cycle is not null)
            {
                problems.Add($"the dependencies form a cycle {cycle}: remove one of these edges");
            }
        }

        return problems.Count > 0
            ? new RuntimeError(RuntimeErrorCode.InvalidInput, $"DAG '{dagId}' is invalid: " + string.Join("; ", problems) + ".")
            : new TaskDag(dagId, tasks, index);
    }

    private static void CheckTask(TaskSpec task, List<string> problems)
    {
        if (task.Estimates.Count == 0)
        {
            problems.Add($"task '{task.Id}' has no estimate: say which resource kinds it runs on (RunsOn)");
        }

        foreach (var estimate in task.Estimates)
        {
            if (!Enum.IsDefined(estimate.Kind))
            {
                problems.Add($"task '{task.Id}' names unknown resource kind {estimate.Kind}: use local, cloud, api or human");
            }

            if (estimate.Duration <= TimeSpan.Zero || estimate.Cost < 0)
            {
                problems.Add($"task '{task.Id}' has a non-positive duration or negative cost on {estimate.Kind}: estimates need a duration > 0 and a cost >= 0");
            }
        }

        if (task.Estimates.Select(e => e.Kind).Distinct().Count() != task.Estimates.Count)
        {
            problems.Add($"task '{task.Id}' has two estimates for the same resource kind: keep one per kind");
        }

        var r = task.Requirements;
        if (r.Cpu < 0 || r.MemoryGb < 0 || r.SandboxVms < 0 || r.ApiCalls < 0)
        {
            problems.Add($"task '{task.Id}' has a negative requirement: requirements must be >= 0");
        }

        if (task.Retry.MaxAttempts < 1 || task.Retry.Backoff < TimeSpan.Zero)
        {
            problems.Add($"task '{task.Id}' has retry maxAttempts {task.Retry.MaxAttempts.ToString(CultureInfo.InvariantCulture)}: allow at least 1 attempt and a backoff >= 0");
        }
    }

    // Iterative DFS (deep DAGs must not overflow the stack); a grey successor closes a cycle, read back along the path.
    private static string? FindCycle(IReadOnlyList<TaskSpec> tasks, Dictionary<string, int> index)
    {
        var colour = new byte[tasks.Count];
        var parent = new int[tasks.Count];
        var next = new int[tasks.Count];
        for (var root = 0; root < tasks.Count; root++)
        {
            if (colour[root] != 0)
            {
                continue;
            }

            var stack = new Stack<int>();
            stack.Push(root);
            colour[root] = 1;
            parent[root] = -1;
            while (stack.Count > 0)
            {
                var node = stack.Peek();
                var deps = tasks[node].DependsOn;
                if (next[node] < deps.Count)
                {
                    var child = index[deps[next[node]++]];
                    if (colour[child] == 1)
                    {
                        var path = new List<string> { tasks[child].Id };
                        for (var at = node; at != child && at >= 0; at = parent[at])
                        {
                            path.Add(tasks[at].Id);
                        }

                        path.Add(tasks[child].Id);
                        return string.Join(" -> ", path);
                    }

                    if (colour[child] == 0)
                    {
                        colour[child] = 1;
                        parent[child] = node;
                        stack.Push(child);
                    }
                }
                else
                {
                    colour[node] = 2;
                    stack.Pop();
                }
            }
        }

        return null;
    }
}
