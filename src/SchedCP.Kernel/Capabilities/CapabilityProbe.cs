using System.Diagnostics;
using System.Globalization;
using SchedCP.Kernel.Bpf.Btf;
using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Capabilities;

/// <summary>
/// Probes what this machine can do with sched_ext, reading the kernel's own interfaces: <c>/proc/sys/kernel/osrelease</c>,
/// <c>/sys/kernel/sched_ext</c>, <c>/sys/kernel/btf/vmlinux</c> (with the managed BTF reader), <c>CapEff</c> in
/// <c>/proc/self/status</c>, <c>/proc/cmdline</c>, and <c>clang --version</c>. The root is configurable for tests.
/// </summary>
public sealed class CapabilityProbe
{
    // linux/capability.h
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;
    private const int CapBpf = 39;

    private readonly string _root;
    private readonly string _clang;

    /// <summary>Creates a probe.</summary>
    /// <param name="root">Prefix of <c>/proc</c> and <c>/sys</c>; default the real root.</param>
    /// <param name="clang">The clang executable to ask for its version.</param>
    public CapabilityProbe(string root = "/", string clang = "clang")
    {
        _root = root;
        _clang = clang;
    }

    /// <summary>Runs every check.</summary>
    public CapabilityReport Probe()
    {
        var release = Read("proc/sys/kernel/osrelease")?.Trim() ?? "unknown";
        var checks = new List<CapabilityCheck>
        {
            CheckSchedExt(),
            CheckBtf(out var layout),
            CheckOpsGeneration(layout),
            CheckPrivileges(),
            CheckIsolatedCpus(),
            CheckClang(),
        };
        return new CapabilityReport(release, checks);
    }

    private CapabilityCheck CheckSchedExt()
    {
        var state = new SchedExtState(Path.Combine(_root, "sys/kernel/sched_ext"));
        if (!state.TryRead(out var status, out _))
        {
            return new CapabilityCheck("sched_ext", false, "absent (no /sys/kernel/sched_ext)",
                "This kernel was built without CONFIG_SCHED_CLASS_EXT; boot a 6.12+ kernel with it, or use the SchedCP sandbox (QEMU) to run schedulers.");
        }

        var finding = status!.Ops is { } ops ? $"{status.State.ToString().ToLowerInvariant()} ({ops} attached)" : status.State.ToString().ToLowerInvariant();
        return new CapabilityCheck("sched_ext", true, finding + $", enable_seq {status.EnableSeq}", "");
    }

    private CapabilityCheck CheckBtf(out SchedExtOpsLayout? layout)
    {
        layout = null;
        var path = Path.Combine(_root, "sys/kernel/btf/vmlinux");
        if (!File.Exists(path))
        {
            return new CapabilityCheck("BTF", false, "absent (no /sys/kernel/btf/vmlinux)",
                "BPF schedulers need kernel BTF: use a kernel built with CONFIG_DEBUG_INFO_BTF=y.");
        }

        var spec = BtfSpec.Load(path);
        if (!spec.Succeeded)
        {
            return new CapabilityCheck("BTF", false, $"unreadable: {spec.Failure}", "Check that /sys/kernel/btf/vmlinux is readable (root may be needed).");
        }

        layout = SchedExtOpsLayout.Probe(spec.Value!);
        return new CapabilityCheck("BTF", true, $"present ({new FileInfo(path).Length / 1024} KiB)", "");
    }

    private static CapabilityCheck CheckOpsGeneration(SchedExtOpsLayout? layout)
    {
        if (layout is null)
        {
            return new CapabilityCheck("sched_ext_ops", false, "unknown (no BTF)", "Without BTF the kernel's sched_ext generation cannot be told.");
        }

        if (!layout.Exists)
        {
            return new CapabilityCheck("sched_ext_ops", false, "not in the kernel's BTF",
                "The kernel has no struct sched_ext_ops: sched_ext is not built in.");
        }

        return new CapabilityCheck("sched_ext_ops", true,
            $"{layout.Members.Count} members, {layout.SizeBytes} bytes; has {string.Join(", ", layout.PresentMarkers)}", "");
    }

    private CapabilityCheck CheckPrivileges()
    {
        var status = Read("proc/self/status") ?? "";
        var capEff = status.Split('\n').FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal))?["CapEff:".Length..].Trim();
        if (capEff is null || !ulong.TryParse(capEff, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var caps))
        {
            return new CapabilityCheck("privileges", false, "unknown (no CapEff)", "Could not read /proc/self/status.");
        }

        bool Has(int cap) => (caps & (1UL << cap)) != 0;
        var missing = new[] { (CapBpf, "CAP_BPF"), (CapSysAdmin, "CAP_SYS_ADMIN"), (CapPerfmon, "CAP_PERFMON") }
            .Where(c => !Has(c.Item1)).Select(c => c.Item2).ToArray();
        var uid = status.Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2);
        var who = uid == "0" ? "root" : $"uid {uid}";
        return missing.Length == 0
            ? new CapabilityCheck("privileges", true, $"{who}; CAP_BPF, CAP_SYS_ADMIN, CAP_PERFMON effective", "")
            : new CapabilityCheck("privileges", false, $"{who}; missing {string.Join(", ", missing)}",
                "Loading a scheduler needs CAP_BPF and CAP_SYS_ADMIN (and CAP_PERFMON for tracing): run the SchedCP host service as root or grant them, and keep agents unprivileged.");
    }

    private CapabilityCheck CheckIsolatedCpus()
    {
        var cmdline = Read("proc/cmdline") ?? "";
        var isol = cmdline.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(a => a.StartsWith("isolcpus=", StringComparison.Ordinal));
        // Not a requirement: reported because isolated CPUs are outside any scheduler's reach.
        return new CapabilityCheck("isolcpus", true, isol is null ? "none" : $"{isol["isolcpus=".Length..]} (not scheduled by sched_ext)", "");
    }

    private CapabilityCheck CheckClang()
    {
        try
        {
            // Not ProcessRunner: the probe is synchronous and reads one line; blocking on the async runner here would risk a deadlock.
            var psi = new ProcessStartInfo(_clang, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var first = p.StandardOutput.ReadLine() ?? "";
            p.WaitForExit(5000);
            var version = first.Split(' ').SkipWhile(w => w != "version").Skip(1).FirstOrDefault() ?? first;
            var major = int.TryParse(version.Split('.')[0], CultureInfo.InvariantCulture, out var m) ? m : 0;
            return new CapabilityCheck("clang", true, $"{version}{(major is > 0 and < 16 ? " (scx recommends 16+; the kernel examples build with it, but __kptr type tags need 15+)" : "")}", "");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new CapabilityCheck("clang", false, "not found",
                "Compiling BPF schedulers needs clang: install Debian's clang package (native/install-deps.sh does).");
        }
    }

    private string? Read(string relative)
    {
        var path = Path.Combine(_root, relative);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
