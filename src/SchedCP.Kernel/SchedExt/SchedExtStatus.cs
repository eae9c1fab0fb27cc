namespace SchedCP.Kernel.SchedExt;

/// <summary>A typed read of <c>/sys/kernel/sched_ext</c>.</summary>
/// <param name="State">The run state.</param>
/// <param name="Ops">The attached scheduler's ops name (<c>root/ops</c>), or null when none is attached.</param>
/// <param name="EnableSeq">Times a scheduler has been enabled since boot; advances on every attach.</param>
/// <param name="NrRejected">Tasks that could not switch to SCHED_EXT.</param>
/// <param name="HotplugSeq">The CPU hotplug sequence number.</param>
/// <param name="SwitchAll">True when every normal task is under the BPF scheduler.</param>
/// <param name="Events">The <c>root/events</c> counters (kernel 6.15 and later), empty when the kernel has none.</param>
public sealed record SchedExtStatus(
    SchedExtRunState State,
    string? Ops,
    long EnableSeq,
    long NrRejected,
    long HotplugSeq,
    bool SwitchAll,
    IReadOnlyDictionary<string, long> Events);
