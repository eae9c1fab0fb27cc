namespace SchedCP.Console.Feed;

/// <summary>One stage of an optimisation loop (observation, planning-1, execution-1, …) as the console shows it.</summary>
/// <param name="Name">The stage, e.g. the agent's id in the loop.</param>
/// <param name="Status">Where it is.</param>
/// <param name="Detail">A line saying what it did or why it failed.</param>
public sealed record LoopStageView(string Name, LoopStageStatus Status, string? Detail);
