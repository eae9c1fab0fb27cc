namespace SchedCP.Agents.Runtime.Orchestration.Tasks;

/// <summary>One recorded move of a task between states.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="From">The state it left.</param>
/// <param name="To">The state it entered.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record TaskTransition(string TaskId, TaskState From, TaskState To, DateTimeOffset At, string Reason);
