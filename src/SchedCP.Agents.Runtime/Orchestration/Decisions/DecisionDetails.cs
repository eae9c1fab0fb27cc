using System.Globalization;
using System.Text;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Orchestration.Decisions;

/// <summary>
/// The structured data of one decision, kept as flat arrays while the tick runs: per candidate its pool, offer,
/// weighted total and exclusion, and every scorer's score. The <see cref="CandidateScore"/> records and the reason
/// text are built from it only when someone reads them, with the same content the tick would have built.
/// </summary>
internal sealed class DecisionDetails
{
    private readonly string[] _poolIds;
    private readonly Entry[] _entries;
    private readonly double[] _scores;
    private readonly int _scorerCount;
    private readonly TaskSpec _spec;
    private readonly IReadOnlyList<string> _scorerNames;
    private readonly bool _avoidSpot;
    private readonly double _urgency;
    private readonly string? _waitPrefix;
    private CandidateScore[]? _candidates;
    private string? _reason;

    internal DecisionDetails(string[] poolIds, Entry[] entries, double[] scores, int scorerCount, int winner, int best, TaskSpec spec,
        IReadOnlyList<string> scorerNames, bool avoidSpot, double urgency, string? waitPrefix)
    {
        _poolIds = poolIds;
        _entries = entries;
        _scores = scores;
        _scorerCount = scorerCount;
        WinnerIndex = winner;
        BestIndex = best;
        _spec = spec;
        _scorerNames = scorerNames;
        _avoidSpot = avoidSpot;
        _urgency = urgency;
        _waitPrefix = waitPrefix;
    }

    /// <summary>Index of the winner among the candidates, or -1 when the task waited.</summary>
    internal int WinnerIndex { get; }

    /// <summary>Index of the best candidate ignoring exclusions.</summary>
    internal int BestIndex { get; }

    internal CandidateScore[] Candidates
    {
        get
        {
            if (_candidates is null)
            {
                var candidates = new CandidateScore[_entries.Length];
                for (var c = 0; c < candidates.Length; c++)
                {
                    ref readonly var e = ref _entries[c];
                    candidates[c] = new CandidateScore(_poolIds[e.Pool], e.Offer, _scores.AsSpan(c * _scorerCount, _scorerCount).ToArray(), e.Total, e.Excluded);
                }

                _candidates = candidates;
            }

            return _candidates;
        }
    }

    internal CandidateScore? Winner => WinnerIndex < 0 ? null : Candidates[WinnerIndex];

    internal string Reason => _reason ??= WinnerIndex < 0 ? WaitReason() : WhyWon();

    internal static bool Better(double totalA, decimal costA, double totalB, decimal costB) =>
        totalA > totalB + 1e-9 || (Math.Abs(totalA - totalB) <= 1e-9 && costA < costB);

    private string WaitReason()
    {
        var why = Candidates.Select(c => c.ExcludedBecause).Distinct(StringComparer.Ordinal).Take(2);
        return _waitPrefix + string.Join("; ", why);
    }

    private string WhyWon()
    {
        var candidates = Candidates;
        var winner = candidates[WinnerIndex];
        var best = candidates[BestIndex];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"highest weighted score {winner.Total:0.##} of {candidates.Length} candidates (");
        for (var s = 0; s < _scorerNames.Count; s++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(s == 0 ? string.Empty : ", ")}{_scorerNames[s]} {winner.Scores[s]:0.#}");
        }

        text.Append(')');
        CandidateScore? runnerUp = null;
        foreach (var c in candidates)
        {
            if (!ReferenceEquals(c, winner) && c.ExcludedBecause is null
                && (runnerUp is null || Better(c.Total, c.Offer.Cost, runnerUp.Total, runnerUp.Offer.Cost)))
            {
                runnerUp = c;
            }
        }

        if (runnerUp is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; runner-up {runnerUp.PoolId} {runnerUp.Offer.Pricing} {runnerUp.Total:0.##}");
        }

        if (!ReferenceEquals(best, winner))
        {
            text.Append(CultureInfo.InvariantCulture, $"; downgraded from {best.PoolId} {best.Offer.Pricing} ({best.ExcludedBecause})");
        }
        else if (_avoidSpot && winner.Offer.Pricing == Pricing.OnDemand)
        {
            text.Append(CultureInfo.InvariantCulture, $"; on-demand because urgency {_urgency:0.00} rules out spot");
        }

        if (winner.Offer.Slot >= 0 && _spec.BatchKey is not null)
        {
            text.Append("; batched with batch '").Append(_spec.BatchKey).Append("' on a running instance (no new spin-up)");
        }

        return text.ToString();
    }

    /// <summary>One candidate: the pool's index, its offer, the weighted total and why it was excluded.</summary>
    internal struct Entry
    {
        public int Pool;
        public ResourceOffer Offer;
        public double Total;
        public string? Excluded;
    }
}
