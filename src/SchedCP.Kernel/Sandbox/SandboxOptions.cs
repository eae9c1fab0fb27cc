using System.ComponentModel.DataAnnotations;

namespace SchedCP.Kernel.Sandbox;

/// <summary>
/// Options for the sched_ext micro-VM. Defaults suit a 2-core CI machine; every value is validated
/// when the runner is built, and an invalid one names the field.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>Virtual CPUs given to the guest. Default 2.</summary>
    [Range(1, 64)]
    public int CpuCount { get; set; } = 2;

    /// <summary>Guest memory in MiB. Default 1024.</summary>
    [Range(128, 65536)]
    public int MemoryMiB { get; set; } = 1024;

    /// <summary>
    /// Wall-clock limit for one job, boot to power-off; a hang guard, not a budget. QEMU is killed when it passes.
    /// Default 300 s: a short trial that takes about 40 s on a quiet two-core host took over 120 s with both cores busy
    /// (the emulated guest gets what the host leaves it), and was killed although nothing hung.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Folder holding the built toolchain (<c>bzImage</c>, <c>initramfs.cpio</c>, <c>bin/</c>). When null the runner
    /// looks at <c>SCHEDCP_TOOLCHAIN</c>, then <c>~/.cache/schedcp/toolchain/current</c>.
    /// </summary>
    public string? ToolchainDirectory { get; set; }

    /// <summary>The QEMU executable. Default <c>qemu-system-x86_64</c> from PATH.</summary>
    public string QemuPath { get; set; } = "qemu-system-x86_64";

    /// <summary>Folder under which each job gets its own folder (the guest's only writable share). Default: the temp folder.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>Lines of the serial console kept in the result's tail. Default 200.</summary>
    [Range(1, 100_000)]
    public int ConsoleTailLines { get; set; } = 200;

    /// <summary>
    /// The niceness QEMU runs at (-20..19; default -19). The guest's clocks keep running while the host preempts a vCPU,
    /// so every time measured in the guest (a task's CPU time, a makespan, a wakeup latency) grows by however long the
    /// host gave the vCPU to other work; a raised priority keeps a busy host from distorting the measurements. Without
    /// the privilege to raise it, QEMU runs at the caller's own priority.
    /// </summary>
    [Range(-20, 19)]
    public int Niceness { get; set; } = -19;

    /// <summary>
    /// How many guests may run at once on this machine, across processes. Default (null): the host's cores divided by
    /// the guest's vCPUs, at least one, so guests never share a core and distort each other's clocks. A job waits for a
    /// free slot before its <see cref="Timeout"/> starts.
    /// </summary>
    [Range(1, 256)]
    public int? MaxConcurrentGuests { get; set; }

    /// <summary>The folder of the machine-wide guest slot locks. Default: <c>schedcp-guest-slots</c> in the temp folder.</summary>
    public string? SlotDirectory { get; set; }
}
