namespace SchedCP.Agents;

/// <summary>
/// The tasks of an observed workload that share a name (comm), with the CPU time they used: how the Observation
/// agent finds long tasks from measurements instead of being told their names.
/// </summary>
/// <param name="Name">The task name (comm).</param>
/// <param name="Tasks">Threads seen with that name.</param>
/// <param name="MeanCpuMs">Mean CPU time per task, in ms.</param>
/// <param name="MaxCpuMs">Longest task's CPU time, in ms.</param>
/// <param name="RatioToMedian">Mean CPU time over the median task's CPU time (all tasks of the workload).</param>
public sealed record TaskGroup(string Name, int Tasks, double MeanCpuMs, double MaxCpuMs, double RatioToMedian);
