using System.Globalization;

namespace SchedCP.Kernel.Sandbox;

/// <summary>Builds the QEMU argument vector for one sandbox guest.</summary>
internal static class QemuCommandLine
{
    /// <summary>Marker the guest init prints when the job is about to start.</summary>
    public const string ReadyMarker = "SCHEDCP-READY";

    /// <summary>Marker the guest init prints when the job script has exited.</summary>
    public const string DoneMarker = "SCHEDCP-DONE";

    /// <summary>Marker the guest init prints when it cannot set up the job.</summary>
    public const string FailMarker = "SCHEDCP-FAIL";

    public static IReadOnlyList<string> Build(SandboxToolchain toolchain, string jobDirectory, int cpus, int memoryMiB) =>
    [
        // KVM does not work for nested guests on these machines; TCG does, with every CPU feature.
        "-accel", "tcg", "-cpu", "max",
        "-smp", cpus.ToString(CultureInfo.InvariantCulture),
        "-m", memoryMiB.ToString(CultureInfo.InvariantCulture),
        "-nodefaults", "-no-user-config", "-no-reboot",
        "-display", "none", "-monitor", "none", "-serial", "stdio",
        "-kernel", toolchain.KernelImage,
        "-initrd", toolchain.Initramfs,
        // No PS/2 probing and no timer re-check: both cost hundreds of milliseconds under TCG and nothing needs them.
        "-append", "console=ttyS0 rdinit=/init panic=-1 quiet loglevel=4 tsc=reliable no_timer_check i8042.noaux i8042.nokbd i8042.nopnp",
        // The host's root, read-only: every host binary runs in the guest, and the guest cannot change the host.
        "-fsdev", "local,id=hostroot,path=/,security_model=none,readonly=on",
        "-device", "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot",
        // The only writable share: the job folder.
        "-fsdev", $"local,id=job,path={jobDirectory},security_model=none",
        "-device", "virtio-9p-pci,fsdev=job,mount_tag=job",
    ];
}
