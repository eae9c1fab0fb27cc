using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SchedCP.Agents.Runtime.Orchestration.Tasks;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class TaskStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_happy_path_runs_from_queued_to_archived()
    {
        var run = new TaskRun("t");
        foreach (var to in new[] { TaskState.Eligible, TaskState.Scheduled, TaskState.Running, TaskState.Completed, TaskState.Archived })
        {
            Assert.True(TaskStateMachine.Move(run, to, T0, "step").Succeeded);
        }

        Assert.Equal(5, run.History.Count);
        Assert.Equal(1, run.Attempts);
    }

    [Fact]
    public void An_illegal_move_is_refused_with_the_allowed_moves_and_changes_nothing()
    {
        var run = new TaskRun("t");
        var result = TaskStateMachine.Move(run, TaskState.Running, T0, "skip ahead");

        Assert.Equal(RuntimeErrorCode.InvalidState, result.Failure!.Kind);
        Assert.Contains("Eligible, Cancelled", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(TaskState.Queued, run.State);
        Assert.Empty(run.History);
    }

    [Property(MaxTest = 300)]
    public Property Any_sequence_of_requested_moves_keeps_the_history_consistent_with_the_table() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Enum.GetValues<TaskState>())).ToArbitrary(), requests =>
        {
            var run = new TaskRun("t");
            foreach (var to in requests)
            {
                var from = run.State;
                var result = TaskStateMachine.Move(run, to, T0, "r");
                if (result.Succeeded != TaskStateMachine.IsAllowed(from, to) || run.State != (result.Succeeded ? to : from))
                {
                    return false;
                }
            }

            // Each recorded move starts where the previous one ended, and is legal.
            var state = TaskState.Queued;
            foreach (var t in run.History)
            {
                if (t.From != state || !TaskStateMachine.IsAllowed(t.From, t.To))
                {
                    return false;
                }

                state = t.To;
            }

            return state == run.State && run.Attempts == run.History.Count(h => h.To == TaskState.Running);
        });

    [Fact]
    public void Archived_is_final_and_every_state_reaches_it()
    {
        Assert.Empty(TaskStateMachine.Next(TaskState.Archived));
        foreach (var state in Enum.GetValues<TaskState>())
        {
            var seen = new HashSet<TaskState> { state };
            var frontier = new Queue<TaskState>([state]);
            while (frontier.TryDequeue(out var s))
            {
                foreach (var n in TaskStateMachine.Next(s).Where(seen.Add))
                {
                    frontier.Enqueue(n);
                }
            }

            Assert.Contains(TaskState.Archived, seen);
        }
    }

    [Fact]
    public void Completed_work_can_never_run_again()
    {
        foreach (var terminal in new[] { TaskState.Completed, TaskState.Failed, TaskState.Cancelled, TaskState.Archived })
        {
            Assert.All(TaskStateMachine.Next(terminal), n => Assert.Equal(TaskState.Archived, n));
        }
    }
}
