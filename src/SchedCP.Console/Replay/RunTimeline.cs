using System.Globalization;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Console.Feed;

namespace SchedCP.Console.Replay;

/// <summary>
/// Steps through a recorded run: folds the events up to a step into agent states, leases and the FIFO queue of
/// waiting claims, the way the runtime's lock table had them, so an operator can see where a run (or a replay that
/// diverged) went. A pure function of the record.
/// </summary>
public static class RunTimeline
{
    /// <summary>The state after the first <paramref name="step"/> events of <paramref name="run"/> (clamped to the run).</summary>
    /// <param name="run">The run.</param>
    /// <param name="step">How many events to apply.</param>
    /// <returns>The state.</returns>
    public static TimelineState At(RecordedRun run, int step)
    {
        ArgumentNullException.ThrowIfNull(run);
        var events = run.Events;
        step = Math.Clamp(step, 0, events.Count);
        var agents = new List<KeyValuePair<string, string>>();
        var leases = new List<TimelineLease>();
        var waiters = new List<TimelineWaiter>();
        var diverged = false;
        for (var i = 0; i < step; i++)
        {
            var e = events[i];
            if (run.Divergence is { } d && e.Sequence >= d.Sequence)
            {
                diverged = true;
            }

            switch (e.Kind)
            {
                case RuntimeEventKinds.AgentCreated when e.AgentId is { } id:
                    SetAgent(agents, id, "Created");
                    break;
                case RuntimeEventKinds.AgentStateChanged when e.AgentId is { } id:
                    SetAgent(agents, id, e.Subject);
                    break;
                case RuntimeEventKinds.ClaimQueued when Number(e.Output, "request") is { } request:
                    waiters.Add(new TimelineWaiter(request, e.AgentId ?? "", e.Subject));
                    break;
                case RuntimeEventKinds.LeaseGranted when Number(e.Output, "lease") is { } lease:
                    if (Number(e.Output, "request") is { } answered)
                    {
                        waiters.RemoveAll(w => w.RequestId == answered);
                    }

                    leases.Add(new TimelineLease(lease, e.AgentId ?? "", e.Subject));
                    break;
                case RuntimeEventKinds.LeaseEnded when Number(e.Subject, "lease") is { } ended:
                    leases.RemoveAll(l => l.LeaseId == ended);
                    break;
                case RuntimeEventKinds.ClaimCancelled when Number(e.Subject, "request") is { } cancelled:
                    waiters.RemoveAll(w => w.RequestId == cancelled);
                    break;
            }
        }

        if (run.Divergence is { } divergence && step == events.Count && divergence.Sequence >= events.Count)
        {
            diverged = true;
        }

        return new TimelineState(step, events.Count, step > 0 ? events[step - 1] : null, agents, leases, waiters, diverged);
    }

    /// <summary>The step at which a replay of <paramref name="run"/> diverged (the event count up to and including it), or null.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The step.</returns>
    public static int? DivergenceStep(RecordedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Divergence is not { } d)
        {
            return null;
        }

        for (var i = 0; i < run.Events.Count; i++)
        {
            if (run.Events[i].Sequence >= d.Sequence)
            {
                return i + 1;
            }
        }

        return run.Events.Count;
    }

    private static void SetAgent(List<KeyValuePair<string, string>> agents, string id, string state)
    {
        var index = agents.FindIndex(a => a.Key == id);
        if (index >= 0)
        {
            agents[index] = new(id, state);
        }
        else
        {
            agents.Add(new(id, state));
        }
    }

    // Reads the number after a word in the runtime's event text: "lease 3 token 7 request 2" -> lease = 3.
    private static long? Number(string? text, string word)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            if (parts[i] == word && long.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
        }

        return null;
    }
}
