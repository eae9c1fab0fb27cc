namespace SchedCP.Kernel.Analysis;

/// <summary>Where an observation's per-task facts came from, and so how complete they are.</summary>
public enum ObservationSource
{
    /// <summary>
    /// <c>/proc</c> polled at an interval on the host: a lower bound. Tasks shorter than the interval, or that ran while
    /// the poller was starved, can be missed, and each task's last partial interval is not counted.
    /// </summary>
    ProcfsPolling,

    /// <summary>
    /// The kernel itself, by BPF tracepoints, in the sched_ext sandbox guest: every task forked while attached is
    /// recorded at its exit with the kernel's own counters; complete unless the probe reports lost records.
    /// </summary>
    GuestBpf,

    /// <summary>The same BPF probe on a host that allows it.</summary>
    HostBpf,
}
