using System.Globalization;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>
/// Runs a DAG's tasks as agent runs on an <see cref="AgentRuntime"/>: each tick's placements become agents
/// (id <c>task#attempt</c>) started at once, the runtime gives them turns, and each agent's end is reported back
/// (completed, or failed with its reason, which retries within the task's policy). Create the orchestrator with
/// <see cref="OrchestrationJournal.Of"/> so its inputs and decisions land in the runtime's log between the agents'
/// events; a replay runtime with the same pools, DAG and bodies then reproduces and checks the whole run.
/// </summary>
public static class AgentTaskRunner
{
    /// <summary>Runs the submitted DAG to the end (or until no agent can make progress).</summary>
    /// <param name="runtime">The runtime (recording or replaying).</param>
    /// <param name="orchestrator">The orchestrator, with its DAG submitted.</param>
    /// <param name="bodyFor">The agent code of each task.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The runtime's report; for a replay its <see cref="AgentRunReport.Divergence"/> is null when exact.</returns>
    public static async Task<AgentRunReport> RunAsync(AgentRuntime runtime, DagOrchestrator orchestrator, Func<TaskSpec, AgentBody> bodyFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentNullException.ThrowIfNull(bodyFor);
        var dag = orchestrator.Dag ?? throw new InvalidOperationException("Submit the DAG before running it.");
        var running = new List<(AgentRun Run, string TaskId)>();
        while (!orchestrator.IsFinished && !cancellationToken.IsCancellationRequested)
        {
            foreach (var (taskId, _) in orchestrator.Tick().Placements)
            {
                dag.TryGetIndex(taskId, out var index);
                var attempt = orchestrator.GetTask(taskId)!.Attempts + 1;
                var run = runtime.AddAgent(string.Create(CultureInfo.InvariantCulture, $"{taskId}#{attempt}"), bodyFor(dag.Tasks[index])).GetValueOrThrow();
                orchestrator.MarkStarted(taskId).GetValueOrThrow();
                running.Add((run, taskId));
            }

            if (running.Count == 0)
            {
                break; // nothing placed and nothing running: the rest can never be placed
            }

            var finished = running.Where(r => IsOver(r.Run)).ToList();
            while (finished.Count == 0 && await runtime.StepAsync(cancellationToken).ConfigureAwait(false))
            {
                finished = [.. running.Where(r => IsOver(r.Run))];
            }

            if (finished.Count == 0)
            {
                break; // every agent waits on a claim nobody will release: claim whole sets at once
            }

            foreach (var (run, taskId) in finished)
            {
                running.Remove((run, taskId));
                if (run.State == AgentState.Completed)
                {
                    orchestrator.MarkCompleted(taskId).GetValueOrThrow();
                }
                else
                {
                    orchestrator.MarkFailed(taskId, run.FailureReason ?? run.State.ToString()).GetValueOrThrow();
                }
            }
        }

        return await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsOver(AgentRun run) => run.State is AgentState.Completed or AgentState.Failed or AgentState.Terminated;
}
