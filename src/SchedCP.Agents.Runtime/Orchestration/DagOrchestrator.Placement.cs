using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Agents.Runtime.Orchestration.Budget;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Decisions;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Agents.Runtime.Orchestration.Scoring;
using SchedCP.Agents.Runtime.Orchestration.Tasks;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>Choosing where an eligible task runs: priority order, scored offers, and the reason it waits when none fits.</summary>
public sealed partial class DagOrchestrator
{
    private static int ComparePriority(TaskDag dag, int a, int b)
    {
        var byRank = dag.UpwardRank[b].CompareTo(dag.UpwardRank[a]);
        if (byRank != 0)
        {
            return byRank;
        }

        var byPriority = dag.Tasks[b].Priority.CompareTo(dag.Tasks[a].Priority);
        return byPriority != 0 ? byPriority : a.CompareTo(b);
    }

    // Share of the critical path still ahead of the task, or of the time left to its deadline, whichever is larger.
    private static double Urgency(TaskDag dag, int i, DateTimeOffset now)
    {
        var urgency = dag.CriticalPathSeconds <= 0 ? 1 : dag.UpwardRank[i] / dag.CriticalPathSeconds;
        if (dag.Tasks[i].Deadline is { } deadline)
        {
            var left = (deadline - now).TotalSeconds;
            urgency = Math.Max(urgency, left <= 0 ? 1 : Math.Min(1, dag.UpwardRank[i] / left));
        }

        return urgency;
    }

    private PlacementDecision Decide(TaskDag dag, int i, DateTimeOffset now)
    {
        var spec = dag.Tasks[i];
        var run = _runs[i];
        Span<ResourceOffer> buffer = stackalloc ResourceOffer[2];
        _offers.Clear();
        foreach (var estimate in spec.Estimates)
        {
            var key = (estimate.Kind, spec.Requirements, spec.BatchKey);
            if (_exhausted.Contains(key))
            {
                continue;
            }

            var before = _offers.Count;
            var pools = _poolsByKind[(int)estimate.Kind];
            var indices = _poolIndexByKind[(int)estimate.Kind];
            for (var p = 0; p < pools.Length; p++)
            {
                var n = pools[p].Quote(spec, estimate, now, buffer);
                for (var k = 0; k < n; k++)
                {
                    _offers.Add((indices[p], buffer[k]));
                }
            }

            if (_offers.Count == before)
            {
                _exhausted.Add(key); // capacity only shrinks within a tick
            }
        }

        if (_offers.Count == 0)
        {
            var full = _noCapacity[i] ??= "no capacity: every pool of kind " + string.Join("/", spec.Estimates.Select(e => e.Kind)) + " is full";
            return Wait(i, now, NoCandidates, full);
        }

        // Score every offer into flat arrays; the candidate records and the reason text are built only when read.
        var range = Range();
        var urgency = Urgency(dag, i, now);
        var avoidSpot = run.AvoidSpot || urgency > _options.SpotUrgencyThreshold;
        var scorers = _options.Scoring.Scorers;
        var scorerCount = scorers.Count;
        var entries = new DecisionDetails.Entry[_offers.Count];
        var scores = new double[_offers.Count * scorerCount];
        string? spotAvoided = null;
        int best = -1, bestAdmissible = -1;
        for (var c = 0; c < entries.Length; c++)
        {
            var (p, offer) = _offers[c];
            var candidate = new PlacementCandidate(spec, _poolIds[p], offer);
            var total = 0.0;
            var row = c * scorerCount;
            for (var s = 0; s < scorerCount; s++)
            {
                var score = scorers[s].Scorer.Score(candidate, range);
                scores[row + s] = score;
                total += scorers[s].Weight * score;
            }

            string? excluded = null;
            if (offer.Pricing == Pricing.Spot && avoidSpot)
            {
                excluded = spotAvoided ??= run.AvoidSpot
                    ? "spot avoided: an earlier attempt was interrupted on the critical path"
                    : string.Create(CultureInfo.InvariantCulture, $"spot avoided: urgency {urgency:0.00} > {_options.SpotUrgencyThreshold:0.00}");
            }

            excluded ??= Budget.Admit(spec.Id, offer.Cost);
            ref var entry = ref entries[c];
            entry.Pool = p;
            entry.Offer = offer;
            entry.Total = total;
            entry.Excluded = excluded;
            if (best < 0 || DecisionDetails.Better(total, offer.Cost, entries[best].Total, entries[best].Offer.Cost))
            {
                best = c;
            }

            if (excluded is null && (bestAdmissible < 0 || DecisionDetails.Better(total, offer.Cost, entries[bestAdmissible].Total, entries[bestAdmissible].Offer.Cost)))
            {
                bestAdmissible = c;
            }
        }

        if (bestAdmissible < 0)
        {
            var excludedAll = new DecisionDetails(_poolIds, entries, scores, scorerCount, -1, best, spec, _scorerNames, avoidSpot, urgency, "every offer was excluded: ");
            return Wait(i, now, excludedAll.Candidates, excludedAll.Reason);
        }

        ref readonly var won = ref entries[bestAdmissible];
        var claim = _pools[won.Pool].Reserve(spec, won.Offer, now);
        run.Placement = claim;
        Budget.Commit(spec.Id, claim.Cost);
        _lastWait[i] = null;
        var details = new DecisionDetails(_poolIds, entries, scores, scorerCount, bestAdmissible, best, spec, _scorerNames, avoidSpot, urgency, null);
        Move(i, TaskState.Scheduled, now, "placed on " + claim.InstanceId);
        var decision = new PlacementDecision(spec.Id, _tick, now, true, _scorerNames, details);
        if (_journal.IsRecording)
        {
            _journal.Record(OrchestrationEventKinds.Decision, spec.Id, null, string.Create(CultureInfo.InvariantCulture,
                $"placed {claim.InstanceId} {claim.Pricing} cost={claim.Cost:0.######} score={won.Total:0.###}: {details.Reason}"));
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.TaskPlaced(spec.Id, claim.PoolId, claim.Pricing.ToString(), details.Reason);
        }

        return decision;
    }

    private CandidateRange Range()
    {
        double minF = double.MaxValue, maxF = double.MinValue;
        decimal minC = decimal.MaxValue, maxC = decimal.MinValue;
        foreach (var (_, offer) in _offers)
        {
            var f = offer.FinishAfter.TotalSeconds;
            minF = Math.Min(minF, f);
            maxF = Math.Max(maxF, f);
            minC = Math.Min(minC, offer.Cost);
            maxC = Math.Max(maxC, offer.Cost);
        }

        return new CandidateRange(minF, maxF, minC, maxC);
    }

    private PlacementDecision Wait(int i, DateTimeOffset now, IReadOnlyList<CandidateScore> candidates, string reason)
    {
        var id = _dag!.Tasks[i].Id;
        if (!string.Equals(_lastWait[i], reason, StringComparison.Ordinal))
        {
            _lastWait[i] = reason;
            _journal.Record(OrchestrationEventKinds.Decision, id, null, "waits: " + reason);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.TaskWaits(id, reason);
            }
        }

        return new PlacementDecision(id, _tick, now, false, null, candidates, _scorerNames, reason);
    }
}
