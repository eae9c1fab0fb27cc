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
