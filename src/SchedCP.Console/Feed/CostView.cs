namespace SchedCP.Console.Feed;

/// <summary>What one stage of a loop cost.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="WallSeconds">Wall-clock time spent.</param>
/// <param name="ModelCalls">Model calls made.</param>
/// <param name="Tokens">Input plus output tokens.</param>
/// <param name="Cost">Money spent, in the price table's currency.</param>
public sealed record CostView(string Stage, double WallSeconds, int ModelCalls, long Tokens, decimal Cost);
