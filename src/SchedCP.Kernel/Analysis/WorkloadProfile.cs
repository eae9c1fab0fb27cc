namespace SchedCP.Kernel.Analysis;

/// <summary>What the workload needs from the machine.</summary>
/// <param name="Cpus">CPUs it kept busy on average, rounded up (at least 1).</param>
/// <param name="PeakThreads">Most threads alive at once.</param>
/// <param name="MemoryMiB">Memory the system used during the observation, in MiB, when known (an upper bound).</param>
public sealed record ResourceNeeds(int Cpus, int PeakThreads, double? MemoryMiB);

/// <summary>
/// A workload's profile: a natural-language summary, its measured characteristics, resource needs and the goal a
/// scheduler should optimise, produced deterministically by <see cref="WorkloadProfiler"/>; <see cref="Notes"/> is
/// free for an agent to enrich later.
/// </summary>
/// <param name="Name">The workload's name.</param>
/// <param name="Summary">One paragraph describing the workload.</param>
/// <param name="Characteristics">The measured traits.</param>
/// <param name="Resources">What it needs.</param>
/// <param name="Goal">What to optimise.</param>
/// <param name="Reasons">The rules that fired, one line each, so a reader can check the classification.</param>
public sealed record WorkloadProfile(
    string Name,
    string Summary,
    WorkloadCharacteristics Characteristics,
    ResourceNeeds Resources,
    OptimisationGoal Goal,
    IReadOnlyList<string> Reasons)
{
    /// <summary>Notes added later, e.g. by an agent that read the workload's files.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Where the per-task facts came from: the kernel by BPF (exact), or <c>/proc</c> polling (a lower bound).</summary>
    public ObservationSource Source { get; init; } = ObservationSource.ProcfsPolling;

    /// <summary>True when every task of the workload was recorded (the BPF probe lost none).</summary>
    public bool Complete { get; init; }
}
