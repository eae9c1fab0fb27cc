using System.Globalization;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>
/// Re-runs a recorded orchestration: the recorded inputs (submission, tick times, starts, completions, failures,
/// interruptions) are fed to a fresh orchestrator in order, and every decision and transition it makes is
/// compared with the log. Pools must be configured as in the recorded run.
/// </summary>
public static class OrchestrationReplay
{
    /// <summary>Replays <paramref name="recorded"/> (orchestration events only are used).</summary>
    /// <param name="recorded">The recorded log.</param>
    /// <param name="create">Creates the orchestrator with the same pools and options, using the journal it is given.</param>
    /// <returns>Null when the replay made exactly the recorded decisions; otherwise the first divergence.</returns>
    public static ReplayDivergence? Verify(IReadOnlyList<RuntimeEvent> recorded, Func<OrchestrationJournal, DagOrchestrator> create)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(create);
        var events = recorded.Where(IsOrchestration).Select((e, k) => e with { Sequence = k + 1 }).ToList();
        var journal = OrchestrationJournal.Replaying(events);
        using var orchestrator = create(journal);
        foreach (var e in events)
        {
            if (journal.Divergence is not null)
            {
                break;
            }

            if (!OrchestrationEventKinds.IsInput(e.Kind, e.Subject))
            {
                continue;
            }

            switch (e.Kind)
            {
                case OrchestrationEventKinds.Submitted:
                    orchestrator.Submit(TaskDagJson.Parse(e.Input ?? string.Empty).GetValueOrThrow());
                    break;
                case OrchestrationEventKinds.Started:
                    orchestrator.MarkStarted(e.Subject);
                    break;
                case OrchestrationEventKinds.Completed:
                    orchestrator.MarkCompleted(e.Subject, e.Input is null ? null : decimal.Parse(e.Input, CultureInfo.InvariantCulture));
                    break;
                case OrchestrationEventKinds.Failed:
                    orchestrator.MarkFailed(e.Subject, e.Input ?? string.Empty);
                    break;
                case OrchestrationEventKinds.Cancelled:
                    orchestrator.Cancel(e.Subject, e.Input ?? string.Empty);
                    break;
                case OrchestrationEventKinds.Interrupted:
                    var parts = e.Subject.Split(' ', 2);
                    orchestrator.ReportInterruption(parts[0], parts[1]);
                    break;
                default:
                    orchestrator.Tick();
                    break;
            }
        }

        return journal.Finish();
    }

    private static bool IsOrchestration(RuntimeEvent e) =>
        e.Kind.StartsWith("orchestration.", StringComparison.Ordinal)
        || (e.Kind == RuntimeEventKinds.Time && e.AgentId is null && e.Subject.StartsWith("orchestration.", StringComparison.Ordinal));
}
