namespace SchedCP.Repository;

/// <summary>A named parameter set for one <see cref="SchedulerMode"/>, validated like any other parameter set.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Values">Parameter name to value, in the parameters' own text form.</param>
/// <param name="Note">Where the preset comes from or why it looks the way it does.</param>
public sealed record ModePreset(SchedulerMode Mode, IReadOnlyDictionary<string, string> Values, string? Note = null);
