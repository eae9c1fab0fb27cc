namespace SchedCP.Agents.Runtime.Orchestration.Simulation;

/// <summary>How a <see cref="DagSimulation"/> perturbs the estimates.</summary>
/// <param name="Seed">Seed of the only random source.</param>
/// <param name="DurationNoise">Real durations are the estimate times a uniform factor in [1 - noise, 1 + noise].</param>
/// <param name="SpotInterruptionsPerHour">Rate at which a spot instance is reclaimed while a task runs on it.</param>
/// <param name="MeasureTickLatency">Whether to time every tick (for benchmarks).</param>
public sealed record SimulationSettings(int Seed = 1, double DurationNoise = 0, double SpotInterruptionsPerHour = 0, bool MeasureTickLatency = false);
