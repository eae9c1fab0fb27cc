using Microsoft.Extensions.Time.Testing;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;

namespace SchedCP.Agents.Tests;

/// <summary>Process trees shaped like the benchmark workloads, and a repository in a temporary folder.</summary>
internal static class Observations
{
    public static BenchmarkWorkload LongTail => BenchmarkWorkload.LongTail(shortTasks: 6, longTasks: 1, shortMs: 30, longMs: 300);

    /// <summary>
    /// A batch of CPU-bound processes: <paramref name="shortTasks"/> of 30 ms and one of 300 ms named lt-long0, or, with
    /// <paramref name="sameName"/>, all named lt-task.
    /// </summary>
    public static WorkloadObservation Batch(int shortTasks = 6, bool sameName = false)
    {
        var tasks = new List<TaskObservation> { Task(100, "longtail", 1, 0, 400, voluntary: 8) };
        for (var i = 0; i < shortTasks; i++)
        {
            tasks.Add(Task(101 + i, sameName ? "lt-task" : $"lt-short{i}", 30, 0, 120));
        }

        tasks.Add(Task(200, sameName ? "lt-task" : "lt-long0", 300, 0, 400));
        return Observe("longtail", tasks);
    }

    /// <summary>Threads that sleep and wake thousands of times a second for tiny bursts.</summary>
    public static WorkloadObservation Latency() => Observe("wakeup",
    [
        Task(300, "wakeup", 1, 0, 1000, voluntary: 10),
        Task(301, "msg0", 20, 0, 1000, voluntary: 1000),
        Task(302, "worker0", 25, 0, 1000, voluntary: 1000),
        Task(303, "worker1", 25, 0, 1000, voluntary: 1000),
    ]);

    public static TemporaryRepository Repository() => new();

    private static WorkloadObservation Observe(string name, List<TaskObservation> tasks)
    {
        var tree = new ProcessTreeObservation(tasks[0].ProcessId, TimeSpan.FromMilliseconds(tasks.Max(t => t.LastSeen.TotalMilliseconds)), 100, tasks, tasks.Count);
        return new WorkloadObservation(tree, null, null, null, null, WorkloadProfiler.Profile(name, tree));
    }

    private static TaskObservation Task(int pid, string name, double cpuMs, double fromMs, double toMs, int voluntary = 1)
    {
        var lifetime = toMs - fromMs;
        var wait = name.StartsWith("lt-", StringComparison.Ordinal) ? Math.Max(0, lifetime - cpuMs) : 0;
        return new TaskObservation(pid, pid, name, TimeSpan.FromMilliseconds(fromMs), TimeSpan.FromMilliseconds(toMs), true,
            (ulong)(cpuMs * 1e6), (ulong)(wait * 1e6), (ulong)voluntary, 5);
    }
}

/// <summary>A real SQLite repository in a temporary folder.</summary>
internal sealed class TemporaryRepository : IDisposable
{
    public TemporaryRepository()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("schedcp-agents-").FullName;
        Repository = new PolicyRepository(new SqlitePolicyStore(Options, Time), Microsoft.Extensions.Options.Options.Create(Options), Time);
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public PolicyRepositoryOptions Options => new() { DatabasePath = Path.Combine(Directory, "repository.db") };

    public PolicyRepository Repository { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
