namespace SchedCP.Agents.Runtime.Orchestration.Memory;

/// <summary>Model tokens an agent used, counted by the runtime from its recorded model calls.</summary>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
/// <param name="ModelCalls">Calls that reported usage.</param>
public sealed record TokenUsage(long InputTokens, long OutputTokens, int ModelCalls)
{
    /// <summary>Nothing used yet.</summary>
    public static TokenUsage None { get; } = new(0, 0, 0);

    /// <summary>Input plus output tokens.</summary>
    public long Total => InputTokens + OutputTokens;
}
