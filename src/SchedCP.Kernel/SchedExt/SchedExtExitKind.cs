namespace SchedCP.Kernel.SchedExt;

/// <summary>
/// Why a sched_ext scheduler stopped: the kernel's <c>enum scx_exit_kind</c> (kernel/sched/ext.c), recorded by the
/// scheduler's <c>ops.exit()</c> into its exit info.
/// </summary>
public enum SchedExtExitKind
{
    /// <summary>No exit recorded.</summary>
    None = 0,

    /// <summary>The scheduler finished normally.</summary>
    Done = 1,

    /// <summary>User space unregistered it (the loader detached or exited).</summary>
    Unregistered = 64,

    /// <summary>The BPF program asked to exit (<c>scx_bpf_exit</c>).</summary>
    UnregisteredByBpf = 65,

    /// <summary>The kernel unregistered it.</summary>
    UnregisteredByKernel = 66,

    /// <summary>An operator pressed SysRq-S.</summary>
    SysRq = 67,

    /// <summary>A parent scheduler went away.</summary>
    Parent = 68,

    /// <summary>A runtime error detected by the kernel.</summary>
    Error = 1024,

    /// <summary>The BPF program called <c>scx_bpf_error</c>.</summary>
    ErrorBpf = 1025,

    /// <summary>The watchdog found a runnable task that did not run within <c>timeout_ms</c>.</summary>
    ErrorStall = 1026,
}
