using SchedCP.Agents.Runtime.Replay;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>Operator commands (pause, resume, terminate): queued, and applied between turns so a replay sees them at the same point.</summary>
public sealed partial class AgentRuntime
{
    /// <summary>Pauses an agent at its next scheduling point. Its leases keep ticking and may expire.</summary>
    /// <param name="agentId">The agent.</param>
    /// <returns>The run or an error.</returns>
    public Outcome<AgentRun, RuntimeError> Pause(string agentId) => Command(RuntimeEventKinds.OperatorPause, agentId);

    /// <summary>Resumes a paused agent.</summary>
    /// <param name="agentId">The agent.</param>
    /// <returns>The run or an error.</returns>
    public Outcome<AgentRun, RuntimeError> Resume(string agentId) => Command(RuntimeEventKinds.OperatorResume, agentId);

    /// <summary>Terminates an agent at its next scheduling point and releases its leases.</summary>
    /// <param name="agentId">The agent.</param>
    /// <returns>The run or an error.</returns>
    public Outcome<AgentRun, RuntimeError> Terminate(string agentId) => Command(RuntimeEventKinds.OperatorTerminate, agentId);

    private Outcome<AgentRun, RuntimeError> Command(string kind, string agentId)
    {
        lock (_gate)
        {
            var run = _runs.FirstOrDefault(r => r.Id == agentId);
            if (run is null)
            {
                return new RuntimeError(RuntimeErrorCode.InvalidInput, $"No agent is called '{agentId}': use an id passed to AddAgent.");
            }

            if (run.IsFinished)
            {
                return new RuntimeError(RuntimeErrorCode.InvalidState, $"Agent '{agentId}' has already ended ({run.State}).");
            }

            // Commands take effect at the next scheduling point, so they land between turns, deterministically.
            _commands.Enqueue((kind, agentId));
        }

        _commandSignal.Release();
        return _runs.First(r => r.Id == agentId);
    }

    private async Task ApplyCommandsAsync()
    {
        while (true)
        {
            (string Kind, string AgentId) command;
            lock (_gate)
            {
                if (_recorder.Replaying)
                {
                    var next = _recorder.PeekExpected();
                    if (next is null || next.Kind is not (RuntimeEventKinds.OperatorPause or RuntimeEventKinds.OperatorResume or RuntimeEventKinds.OperatorTerminate))
                    {
                        return;
                    }

                    command = (next.Kind, next.AgentId!);
                }
                else if (!_commands.TryDequeue(out command))
                {
                    return;
                }
            }

            var run = Agents.FirstOrDefault(r => r.Id == command.AgentId);
            _recorder.Emit(command.Kind, command.AgentId, "operator");
            if (run is null || run.IsFinished)
            {
                continue;
            }

            switch (command.Kind)
            {
                case RuntimeEventKinds.OperatorPause:
                    lock (_gate)
                    {
                        run.PauseRequested = true;
                        if (run.State is AgentState.Ready or AgentState.Created)
                        {
                            RemoveFromReady(run);
                            SetState(run, AgentState.Paused);
                        }
                    }

                    break;
                case RuntimeEventKinds.OperatorResume:
                    lock (_gate)
                    {
                        run.PauseRequested = false;
                        if (run.State == AgentState.Paused)
                        {
                            SetState(run, AgentState.Ready);
                            _ready.Enqueue(run);
                        }
                    }

                    break;
                default:
                    lock (_gate)
                    {
                        RemoveFromReady(run);
                    }

                    if (run.Task is null)
                    {
                        Locks.ReleaseAll(run.Id);
                        SetState(run, AgentState.Terminated);
                    }
                    else
                    {
                        await StopAsync(run).ConfigureAwait(false);
                    }

                    break;
            }
        }
    }

    private static async Task StopAsync(AgentRun run)
    {
        run.TurnEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await run.Termination.CancelAsync().ConfigureAwait(false);
        await run.TurnEnded.Task.ConfigureAwait(false);
    }
}
