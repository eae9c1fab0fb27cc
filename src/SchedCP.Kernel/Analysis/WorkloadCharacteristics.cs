namespace SchedCP.Kernel.Analysis;

/// <summary>
/// The measured traits of a workload, each set by a rule of <see cref="WorkloadProfiler"/> from an observation.
/// </summary>
/// <param name="CpuBound">Its tasks are runnable (running or waiting for a CPU) most of their life.</param>
/// <param name="IoBound">It waits on I/O more than it computes.</param>
/// <param name="LatencySensitive">It sleeps and wakes often for short bursts of CPU: wakeup latency is its cost.</param>
/// <param name="ShortLivedProcesses">Many short processes come and go (a build).</param>
/// <param name="LongTail">A few tasks are much longer than the rest: the makespan hangs on them.</param>
/// <param name="Parallelism">CPUs kept busy on average (CPU seconds over wall seconds).</param>
/// <param name="PeakThreads">Most threads alive at once.</param>
/// <param name="RunnableShare">Share of the tasks' observed lifetime spent running or waiting runnable.</param>
/// <param name="WaitShare">Share of runnable time spent waiting for a CPU.</param>
/// <param name="VoluntarySwitchesPerSecond">Voluntary context switches per wall second, all tasks.</param>
/// <param name="InvoluntarySwitchesPerSecond">Involuntary context switches per wall second, all tasks.</param>
/// <param name="MeanBurstMs">Mean CPU time between voluntary switches, in ms.</param>
/// <param name="TaskCpuMs">Distribution of the work items' CPU time in ms.</param>
/// <param name="TaskLifetimeMs">Distribution of the work items' observed lifetime in ms.</param>
public sealed record WorkloadCharacteristics(
    bool CpuBound,
    bool IoBound,
    bool LatencySensitive,
    bool ShortLivedProcesses,
    bool LongTail,
    double Parallelism,
    int PeakThreads,
    double RunnableShare,
    double WaitShare,
    double VoluntarySwitchesPerSecond,
    double InvoluntarySwitchesPerSecond,
    double MeanBurstMs,
    TaskLengthDistribution TaskCpuMs,
    TaskLengthDistribution TaskLifetimeMs);
