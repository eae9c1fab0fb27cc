using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Orchestration.Tasks;

/// <summary>
/// The task life cycle: Queued → Eligible → Scheduled → Running → Completed → Archived, with Retrying
/// (back to Eligible after a failure or a lost placement), Failed and Cancelled. Every other move is refused.
/// </summary>
public static class TaskStateMachine
{
    private static readonly TaskState[][] Allowed = BuildTable();

    /// <summary>Whether <paramref name="from"/> → <paramref name="to"/> is a legal move.</summary>
    /// <param name="from">Current state.</param>
    /// <param name="to">Next state.</param>
    /// <returns>True when allowed.</returns>
    public static bool IsAllowed(TaskState from, TaskState to) => Array.IndexOf(Allowed[(int)from], to) >= 0;

    /// <summary>The states reachable in one move from <paramref name="from"/>.</summary>
    /// <param name="from">The state.</param>
    /// <returns>The next states; empty for Archived.</returns>
    public static IReadOnlyList<TaskState> Next(TaskState from) => Allowed[(int)from];

    /// <summary>Whether the task will never run again.</summary>
    /// <param name="state">The state.</param>
    /// <returns>True for Completed, Archived, Failed and Cancelled.</returns>
    public static bool IsTerminal(TaskState state) => state is TaskState.Completed or TaskState.Archived or TaskState.Failed or TaskState.Cancelled;

    /// <summary>Moves <paramref name="run"/> to <paramref name="to"/> and records the move, or refuses an illegal one.</summary>
    /// <param name="run">The task.</param>
    /// <param name="to">The next state.</param>
    /// <param name="at">When.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The transition, or <see cref="RuntimeErrorCode.InvalidState"/> naming the allowed moves.</returns>
    public static Outcome<TaskTransition, RuntimeError> Move(TaskRun run, TaskState to, DateTimeOffset at, string reason)
    {
        ArgumentNullException.ThrowIfNull(run);
        var from = run.State;
        if (!IsAllowed(from, to))
        {
            var next = Allowed[(int)from];
            return new RuntimeError(RuntimeErrorCode.InvalidState,
                $"task '{run.TaskId}' cannot move from {from} to {to}: from {from} it can only move to {(next.Length == 0 ? "nothing (it is final)" : string.Join(", ", next))}.");
        }

        var transition = new TaskTransition(run.TaskId, from, to, at, reason);
        run.Apply(transition);
        return transition;
    }

    private static TaskState[][] BuildTable()
    {
        var table = new TaskState[Enum.GetValues<TaskState>().Length][];
        table[(int)TaskState.Queued] = [TaskState.Eligible, TaskState.Cancelled];
        table[(int)TaskState.Eligible] = [TaskState.Scheduled, TaskState.Cancelled];
        table[(int)TaskState.Scheduled] = [TaskState.Running, TaskState.Retrying, TaskState.Cancelled];
        table[(int)TaskState.Running] = [TaskState.Completed, TaskState.Retrying, TaskState.Failed, TaskState.Cancelled];
        table[(int)TaskState.Retrying] = [TaskState.Eligible, TaskState.Failed, TaskState.Cancelled];
        table[(int)TaskState.Completed] = [TaskState.Archived];
        table[(int)TaskState.Failed] = [TaskState.Archived];
        table[(int)TaskState.Cancelled] = [TaskState.Archived];
        table[(int)TaskState.Archived] = [];
        return table;
    }
}
