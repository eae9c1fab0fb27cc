using System.Text.Json;
using SchedCP.Kernel.Native;

namespace SchedCP.Kernel.Sandbox;

/// <summary>
/// The built sandbox toolchain: a sched_ext guest kernel, its initramfs, the loader, bpftool, the kernel's
/// example schedulers and the headers BPF schedulers compile against. Built by <c>native/build-toolchain.sh</c>
/// into a cache folder keyed by its inputs.
/// </summary>
public sealed class SandboxToolchain
{
    private SandboxToolchain(string directory) => Directory = directory;

    /// <summary>The toolchain folder.</summary>
    public string Directory { get; }

    /// <summary>The guest kernel image.</summary>
    public string KernelImage => Path.Combine(Directory, "bzImage");

    /// <summary>The guest initramfs (busybox and the SchedCP init).</summary>
    public string Initramfs => Path.Combine(Directory, "initramfs.cpio.gz");

    /// <summary>The generic sched_ext loader, <c>schedcp-loader</c>.</summary>
    public string LoaderPath => Path.Combine(Directory, "bin", "schedcp-loader");

    /// <summary>
    /// The run-queue latency probe's reader, <c>schedcp-probe</c>: loads <see cref="ProbeObjectPath"/>, measures for a
    /// duration or while a command runs, and prints the histograms as one JSON line. Absent in toolchains built before it.
    /// </summary>
    public string ProbePath => Path.Combine(Directory, "bin", "schedcp-probe");

    /// <summary>The compiled run-queue latency probe (<c>bpf/probes/runqlat.bpf.c</c>), next to the reader.</summary>
    public string ProbeObjectPath => Path.Combine(Directory, "probes", "runqlat.bpf.o");

    /// <summary>bpftool built from the same kernel tree.</summary>
    public string BpftoolPath => Path.Combine(Directory, "bin", "bpftool");

    /// <summary>Folder of headers for BPF schedulers: <c>vmlinux.h</c>, <c>scx/</c>, <c>bpf/</c>.</summary>
    public string IncludeDirectory => Path.Combine(Directory, "include");

    /// <summary>The guest kernel's raw BTF (the <c>.BTF</c> section of its vmlinux).</summary>
    public string VmlinuxBtf => Path.Combine(Directory, "vmlinux.btf");

    /// <summary>The path of one of the kernel's example scheduler binaries (scx_simple, scx_qmap, scx_central, scx_flatcg).</summary>
    /// <param name="name">The binary's name, e.g. <c>scx_simple</c>.</param>
    public string ExampleBinary(string name) => Path.Combine(Directory, "bin", name);

    /// <summary>The linux-source package version the guest kernel was built from, read from the manifest.</summary>
    public string LinuxSourceVersion { get; private init; } = "unknown";

    /// <summary>
    /// Finds the toolchain: <paramref name="explicitDirectory"/>, else <c>SCHEDCP_TOOLCHAIN</c>, else the path recorded
    /// in <c>~/.cache/schedcp/toolchain/current.path</c> (or under <c>SCHEDCP_CACHE</c>).
    /// </summary>
    /// <param name="explicitDirectory">A folder to use instead of searching.</param>
    /// <param name="toolchain">The toolchain when found and complete.</param>
    /// <param name="failure">Why it was not usable otherwise.</param>
    /// <returns>True when the toolchain is complete.</returns>
    public static bool TryLocate(string? explicitDirectory, out SandboxToolchain? toolchain, out SandboxFailure? failure)
    {
        toolchain = null;
        failure = null;
        var candidate = explicitDirectory ?? Environment.GetEnvironmentVariable("SCHEDCP_TOOLCHAIN");
        if (string.IsNullOrWhiteSpace(candidate))
        {
            var pointer = Path.Combine(NativeAssets.DefaultCache(), "toolchain", "current.path");
            if (File.Exists(pointer))
            {
                candidate = File.ReadAllText(pointer).Trim();
            }
        }

        const string remedy = "Build it with `./build.sh toolchain` (or native/build-toolchain.sh), or set SCHEDCP_TOOLCHAIN to a built toolchain folder.";
        if (string.IsNullOrWhiteSpace(candidate))
        {
            failure = new SandboxFailure(SandboxFailureKind.ToolchainMissing, "No sandbox toolchain was found.", remedy);
            return false;
        }

        var found = new SandboxToolchain(candidate);
        foreach (var required in new[] { found.KernelImage, found.Initramfs, found.LoaderPath })
        {
            if (!File.Exists(required))
            {
                failure = new SandboxFailure(
                    SandboxFailureKind.ToolchainMissing,
                    $"The sandbox toolchain at '{candidate}' is incomplete: '{required}' does not exist.",
                    remedy);
                return false;
            }
        }

        toolchain = new SandboxToolchain(candidate) { LinuxSourceVersion = ReadSourceVersion(candidate) };
        return true;
    }

    private static string ReadSourceVersion(string directory)
    {
        var manifest = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifest))
        {
            return "unknown";
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            return doc.RootElement.TryGetProperty("linux_source", out var v) ? v.GetString() ?? "unknown" : "unknown";
        }
        catch (JsonException)
        {
            return "unknown";
        }
    }
}
