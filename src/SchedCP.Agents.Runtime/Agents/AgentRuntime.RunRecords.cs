using System.Collections.Concurrent;
using SchedCP.Agents.Runtime.Claims.Storage;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>Keeps each agent's run record (state, failure, change set) in the runtime's record store as it changes.</summary>
public sealed partial class AgentRuntime
{
    private readonly ConcurrentDictionary<AgentRun, byte> _unsavedRuns = new();
    private readonly Lock _saveGate = new();

    /// <summary>Marks a run whose record is out of date; <see cref="SaveRuns"/> writes it.</summary>
    private void RunChanged(AgentRun run) => _unsavedRuns.TryAdd(run, 0);

    /// <summary>
    /// Writes the records of runs that changed. Call it holding none of the runtime's locks: a lock-table transaction
    /// (another thread's, or this one's in a grant callback, which skips the write) holds the state file's writer lock
    /// and may be waiting for them.
    /// </summary>
    private void SaveRuns()
    {
        if (SqlWorkUnitLockStore.TransactingOnThisThread)
        {
            return;
        }

        lock (_saveGate)
        {
            foreach (var run in _unsavedRuns.Keys)
            {
                _unsavedRuns.TryRemove(run, out _);
                Runs.Save(new AgentRunRecord(RuntimeId, run.Id, run.State, run.FailureReason, run.ChangeSet.Status, run.ChangeSet.Changes, Clock.GetUtcNow()));
            }
        }
    }
}
