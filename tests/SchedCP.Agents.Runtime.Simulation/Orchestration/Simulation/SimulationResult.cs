namespace SchedCP.Agents.Runtime.Orchestration.Simulation;

/// <summary>What a simulated run produced.</summary>
/// <param name="Makespan">From the first tick to the last completion.</param>
/// <param name="Cost">Settled spend.</param>
/// <param name="Ticks">Ticks taken.</param>
/// <param name="Interruptions">Spot interruptions that hit a task.</param>
/// <param name="Completed">Tasks completed.</param>
/// <param name="Failed">Tasks failed or cancelled.</param>
/// <param name="Stuck">Whether the run stopped with tasks that could never be placed (e.g. over budget).</param>
/// <param name="TickMicroseconds">Time of each tick in microseconds, when measured.</param>
public sealed record SimulationResult(TimeSpan Makespan, decimal Cost, long Ticks, int Interruptions, int Completed, int Failed, bool Stuck, IReadOnlyList<double> TickMicroseconds);
