namespace SchedCP.Kernel.Metrics;

/// <summary>
/// What <see cref="PerfStatRunner"/> should count: either a command it starts (<see cref="Command"/>) or a running process
/// for a duration (<see cref="ProcessId"/> and <see cref="Duration"/>). Create one with <see cref="ForCommand"/> or
/// <see cref="ForProcess"/>.
/// </summary>
public sealed record PerfStatRequest
{
    /// <summary>The events counted unless <see cref="Events"/> says otherwise.</summary>
    public static IReadOnlyList<string> DefaultEvents { get; } = ["cycles", "instructions", "context-switches", "cpu-migrations", "task-clock"];

    /// <summary>The command and its arguments to run under <c>perf stat</c>; null when counting a process.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The process to attach to with <c>-p</c>; null when running a command.</summary>
    public int? ProcessId { get; init; }

    /// <summary>How long to count an attached process. Default 1 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The perf events to count (names only: letters, digits and <c>-_:./=,</c>).</summary>
    public IReadOnlyList<string> Events { get; init; } = DefaultEvents;

    /// <summary>Wall-clock limit for the whole run; perf is killed when it is reached. Default 5 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Counts a command from start to exit.</summary>
    /// <param name="command">The executable and its arguments (passed as an argument list, never through a shell).</param>
    public static PerfStatRequest ForCommand(params string[] command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfZero(command.Length);
        return new PerfStatRequest { Command = command };
    }

    /// <summary>Counts a running process for a duration.</summary>
    /// <param name="processId">The process id.</param>
    /// <param name="duration">How long to count.</param>
    public static PerfStatRequest ForProcess(int processId, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return new PerfStatRequest { ProcessId = processId, Duration = duration };
    }
}
