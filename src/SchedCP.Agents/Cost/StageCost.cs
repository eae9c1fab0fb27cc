namespace SchedCP.Agents;

/// <summary>What one stage of the loop cost.</summary>
/// <param name="Stage">The stage, e.g. <c>observation</c>, <c>planning</c>, <c>screening</c>.</param>
/// <param name="Wall">Wall time spent in it.</param>
/// <param name="ModelCalls">Model calls made.</param>
/// <param name="InputTokens">Input tokens, from the responses' usage.</param>
/// <param name="OutputTokens">Output tokens, from the responses' usage.</param>
/// <param name="Cost">Money, by the price table; 0 when no price is known.</param>
public sealed record StageCost(string Stage, TimeSpan Wall, int ModelCalls, long InputTokens, long OutputTokens, decimal Cost);
