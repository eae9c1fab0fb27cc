namespace SchedCP.Kernel.SchedExt;

/// <summary>The kernel's sched_ext state, <c>/sys/kernel/sched_ext/state</c>.</summary>
public enum SchedExtRunState
{
    /// <summary>The file held something this library does not know.</summary>
    Unknown,

    /// <summary>No BPF scheduler is attached; the fair class (EEVDF) schedules everything.</summary>
    Disabled,

    /// <summary>A scheduler is being attached.</summary>
    Enabling,

    /// <summary>A BPF scheduler is attached and in charge.</summary>
    Enabled,

    /// <summary>The scheduler is being detached (by user space, the kernel, or an error).</summary>
    Disabling,
}
