namespace SchedCP.Console.Feed;

/// <summary>One candidate of an optimisation loop, measured side by side with the baseline.</summary>
/// <param name="Label">The candidate's label (unique in its loop; a later report with the same label replaces it).</param>
/// <param name="Policy">The policy it materialises.</param>
/// <param name="Status">Its status in the loop (planned, verifying, measured, rejected, …).</param>
/// <param name="Baseline">The baseline's (EEVDF's) value of the loop's metric, once measured.</param>
/// <param name="Value">The candidate's value of the metric, once measured.</param>
/// <param name="Verdict">The judgement, once made; <see cref="Better"/> is drawn green, anything else (worse, no significant change) is not.</param>
/// <param name="Reason">Why, in a line.</param>
public sealed record CandidateView(string Label, string Policy, string Status, double? Baseline, double? Value, string? Verdict, string? Reason)
{
    /// <summary>The verdict of a candidate judged better than the baseline.</summary>
    public const string Better = "better";

    /// <summary>Value over baseline, when both are measured and the baseline is not zero.</summary>
    public double? Ratio => Baseline is { } b && Value is { } v && b != 0 ? v / b : null;
}
