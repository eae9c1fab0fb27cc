using System.Globalization;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// One of the project's benchmark workloads (native/workloads) with its arguments. Each prints one JSON object on
/// stdout, parsed into a <see cref="WorkloadResult"/>. Use the factories: they pick sizes small enough for the
/// emulated sandbox guest unless told otherwise.
/// </summary>
/// <param name="Name">The binary's name: <c>longtail</c>, <c>wakeup</c> or <c>buildlike</c>.</param>
/// <param name="Arguments">Its command-line arguments.</param>
public sealed record BenchmarkWorkload(string Name, IReadOnlyList<string> Arguments)
{
    /// <summary>The three workloads' names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["longtail", "wakeup", "buildlike"];

    /// <summary>
    /// The paper's batch case: <paramref name="shortTasks"/> short and <paramref name="longTasks"/> long forked processes
    /// burning CPU at once; the result has the makespan and each task's completion time.
    /// </summary>
    /// <param name="shortTasks">Short tasks.</param>
    /// <param name="longTasks">Long tasks (started last).</param>
    /// <param name="shortMs">CPU time of a short task in milliseconds.</param>
    /// <param name="longMs">CPU time of a long task in milliseconds.</param>
    /// <param name="taskNamePrefix">Prefix of the task names (<c>prctl(PR_SET_NAME)</c>); letters, digits and '-'.</param>
    public static BenchmarkWorkload LongTail(int shortTasks = 8, int longTasks = 2, int shortMs = 50, int longMs = 400, string taskNamePrefix = "lt")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskNamePrefix);
        if (!taskNamePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || taskNamePrefix.Length > 6)
        {
            throw new ArgumentException("Use up to 6 letters, digits or '-' so the task names fit the kernel's 15 characters.", nameof(taskNamePrefix));
        }

        return new("longtail", ["--short", I(shortTasks), "--long", I(longTasks), "--short-ms", I(shortMs), "--long-ms", I(longMs), "--name", taskNamePrefix]);
    }

    /// <summary>
    /// The batch case as real batches look: <paramref name="shortTasks"/> short and <paramref name="longTasks"/> long
    /// forked processes of one program under one name with one argv (nothing tells them apart but their work), the long
    /// ones at positions drawn from <paramref name="seed"/>.
    /// </summary>
    /// <param name="shortTasks">Short tasks.</param>
    /// <param name="longTasks">Long tasks.</param>
    /// <param name="shortMs">CPU time of a short task in milliseconds.</param>
    /// <param name="longMs">CPU time of a long task in milliseconds.</param>
    /// <param name="seed">Seed of the long tasks' positions.</param>
    public static BenchmarkWorkload SameNameLongTail(int shortTasks = 16, int longTasks = 1, int shortMs = 30, int longMs = 300, int seed = 1) =>
        new("longtail", ["--short", I(shortTasks), "--long", I(longTasks), "--short-ms", I(shortMs), "--long-ms", I(longMs), "--same-name", "1", "--seed", I(seed)]);

    /// <summary>
    /// schbench-like wakeups: <paramref name="messageThreads"/> threads each wake <paramref name="workers"/> workers through
    /// a futex per round; the result has wakeup-latency percentiles and requests per second.
    /// </summary>
    /// <param name="messageThreads">Message threads.</param>
    /// <param name="workers">Workers per message thread.</param>
    /// <param name="seconds">Run time in seconds.</param>
    /// <param name="requestMicroseconds">CPU time of one request.</param>
    /// <param name="thinkMicroseconds">Sleep of a message thread between rounds.</param>
    public static BenchmarkWorkload Wakeup(int messageThreads = 2, int workers = 4, int seconds = 3, int requestMicroseconds = 20, int thinkMicroseconds = 1000) =>
        new("wakeup", ["--message-threads", I(messageThreads), "--workers", I(workers), "--seconds", I(seconds), "--request-us", I(requestMicroseconds), "--think-us", I(thinkMicroseconds)]);

    /// <summary>
    /// A small build: <paramref name="waves"/> × <paramref name="width"/> fork+exec'd CPU tasks with dependencies, at most
    /// <paramref name="jobs"/> at once; the result has the makespan and the critical path.
    /// </summary>
    /// <param name="waves">Waves of the DAG.</param>
    /// <param name="width">Tasks per wave.</param>
    /// <param name="jobs">Tasks running at once (make -j).</param>
    /// <param name="taskMs">Mean CPU time of a task in milliseconds.</param>
    /// <param name="seed">Seed of the task sizes.</param>
    public static BenchmarkWorkload BuildLike(int waves = 4, int width = 6, int jobs = 2, int taskMs = 30, int seed = 1) =>
        new("buildlike", ["--waves", I(waves), "--width", I(width), "--jobs", I(jobs), "--task-ms", I(taskMs), "--seed", I(seed)]);

    /// <summary>The workload name of a command run through <c>runcmd</c> (<see cref="Command(string, IReadOnlyList{string})"/>).</summary>
    public const string CommandRunner = "runcmd";

    /// <summary>
    /// Any command as a workload: <c>runcmd</c> runs it, waits, and reports its makespan and the CPU time of its
    /// process tree (<c>makespan_ms</c>, <c>cpu_ms</c>). <paramref name="program"/> is a file name staged next to the
    /// workloads (<see cref="CommandWorkloadStaging"/>) or a program on the guest's PATH (busybox applets).
    /// </summary>
    /// <param name="program">The program: a bare file name.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The workload.</returns>
    public static BenchmarkWorkload Command(string program, IReadOnlyList<string> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        ArgumentNullException.ThrowIfNull(arguments);
        if (program.Contains('/', StringComparison.Ordinal) || program.StartsWith('-'))
        {
            throw new ArgumentException($"'{program}' must be a bare file name (stage a path with CommandWorkloadStaging first).", nameof(program));
        }

        if (arguments.Any(a => a.Any(c => c == '\0' || c == '\n')))
        {
            throw new ArgumentException("Arguments may not contain NUL or newline characters.", nameof(arguments));
        }

        return new(CommandRunner, [program, .. arguments]);
    }

    /// <summary>
    /// <see cref="Command(string, IReadOnlyList{string})"/> run in <paramref name="workingDirectory"/> with
    /// <paramref name="environment"/> added: <c>runcmd</c> applies them with <c>chdir</c> and <c>setenv</c> before it
    /// execs the program, so no value passes through a shell. In the sandbox guest the directory is the host's, read-only.
    /// </summary>
    /// <param name="program">The program: a bare file name.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">An absolute directory to run in, or null.</param>
    /// <param name="environment">Variables to set (names of letters, digits and '_', not starting with a digit).</param>
    /// <returns>The workload.</returns>
    public static BenchmarkWorkload Command(string program, IReadOnlyList<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var command = Command(program, arguments);
        var options = new List<string>();
        if (workingDirectory is not null)
        {
            if (!Path.IsPathFullyQualified(workingDirectory) || workingDirectory.Any(c => c is '\0' or '\n'))
            {
                throw new ArgumentException($"The working directory '{workingDirectory}' must be an absolute path without NUL or newline.", nameof(workingDirectory));
            }

            options.AddRange(["-C", workingDirectory]);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"The environment variable name '{name}' must be letters, digits and '_', not starting with a digit.", nameof(environment));
            }

            if (value.Any(c => c is '\0' or '\n'))
            {
                throw new ArgumentException($"The value of {name} may not contain NUL or newline characters.", nameof(environment));
            }

            options.AddRange(["-e", $"{name}={value}"]);
        }

        return command with { Arguments = [.. options, .. command.Arguments] };
    }

    /// <summary>
    /// The KPI the command prints, read from its output into <see cref="WorkloadResult.Metrics"/> beside the makespan;
    /// null when the makespan (or the built-in workload's own JSON) is the KPI.
    /// </summary>
    public OutputKpi? Kpi { get; init; }

    /// <summary>Whether this is a command run through <c>runcmd</c> rather than a built-in benchmark.</summary>
    public bool IsCommand => Name == CommandRunner;

    /// <inheritdoc />
    public override string ToString() => $"{Name} {string.Join(' ', Arguments)}";

    private static string I(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value.ToString(CultureInfo.InvariantCulture);
    }
}
