using System.Globalization;
using System.Text;

namespace SchedCP.Agents.Runtime.Orchestration.Decisions;

/// <summary>
/// Why a task was placed where it was, or why it waited: every candidate with its per-scorer scores and
/// exclusions, the winner and the reason in words. <see cref="Explain"/> renders it for people.
/// </summary>
/// <param name="TaskId">The task.</param>
/// <param name="Tick">The tick number.</param>
/// <param name="At">When.</param>
/// <param name="Placed">Whether the task was placed.</param>
/// <param name="Winner">The winning candidate when placed.</param>
/// <param name="Candidates">All candidates considered (empty when the task waited for lack of any offer).</param>
/// <param name="ScorerNames">Names of the scorers, in the order of <see cref="CandidateScore.Scores"/>.</param>
/// <param name="Reason">Why the winner won, or why the task waited.</param>
public sealed record PlacementDecision(string TaskId, long Tick, DateTimeOffset At, bool Placed, CandidateScore? Winner,
    IReadOnlyList<CandidateScore> Candidates, IReadOnlyList<string> ScorerNames, string Reason)
{
    private static readonly CandidateScore[] NoCandidates = [];
    private readonly DecisionDetails? _details;
    private CandidateScore? _winner = Winner;
    private IReadOnlyList<CandidateScore>? _candidates = Candidates;
    private string? _reason = Reason;

    // A decision whose candidate records and reason text are built from the structured data when first read.
    internal PlacementDecision(string taskId, long tick, DateTimeOffset at, bool placed, IReadOnlyList<string> scorerNames, DecisionDetails details)
        : this(taskId, tick, at, placed, null, NoCandidates, scorerNames, string.Empty)
    {
        _details = details;
        _winner = null;
        _candidates = null;
        _reason = null;
    }

    /// <summary>The winning candidate when placed.</summary>
    public CandidateScore? Winner
    {
        get => _winner ??= _details?.Winner;
        init => _winner = value;
    }

    /// <summary>All candidates considered (empty when the task waited for lack of any offer).</summary>
    public IReadOnlyList<CandidateScore> Candidates
    {
        get => _candidates ??= _details!.Candidates;
        init => _candidates = value;
    }

    /// <summary>Why the winner won, or why the task waited.</summary>
    public string Reason
    {
        get => _reason ??= _details!.Reason;
        init => _reason = value;
    }

    /// <summary>Decisions are equal when every public field is equal.</summary>
    /// <param name="other">The other decision.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(PlacementDecision? other) =>
        other is not null && (ReferenceEquals(this, other) || (string.Equals(TaskId, other.TaskId, StringComparison.Ordinal) && Tick == other.Tick
            && At == other.At && Placed == other.Placed && Equals(Winner, other.Winner) && ReferenceEquals(Candidates, other.Candidates)
            && ReferenceEquals(ScorerNames, other.ScorerNames) && string.Equals(Reason, other.Reason, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TaskId, Tick, At, Placed);

    /// <summary>A readable account of the decision.</summary>
    /// <returns>Several lines of text.</returns>
    public string Explain()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"tick {Tick}: task {TaskId} ").Append(Placed ? "placed on " + Winner!.PoolId : "waited").Append(": ").AppendLine(Reason);
        foreach (var c in Candidates.OrderByDescending(c => c.ExcludedBecause is null).ThenByDescending(c => c.Total))
        {
            text.Append("  ").Append(ReferenceEquals(c, Winner) ? "* " : "  ").Append(c.PoolId).Append(' ').Append(c.Offer.Pricing);
            for (var i = 0; i < ScorerNames.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $" {ScorerNames[i]}={c.Scores[i]:0.#}");
            }

            text.Append(CultureInfo.InvariantCulture, $" total={c.Total:0.##}");
            if (c.ExcludedBecause is not null)
            {
                text.Append(" excluded: ").Append(c.ExcludedBecause);
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
