using SchedCP.Core.Processes;
using SchedCP.Kernel.Native;
using SchedCP.Kernel.Workloads;

namespace SchedCP.Kernel.Sandbox;

/// <summary>One thing the sandbox needs, whether it is there, and what to do when it is not.</summary>
/// <param name="Name">What it is, e.g. <c>toolchain</c>.</param>
/// <param name="Ready">Whether it is present and usable.</param>
/// <param name="Detail">Where it was found, or what is wrong.</param>
/// <param name="Remedy">What to do when it is not ready; empty when it is.</param>
public sealed record SetupItem(string Name, bool Ready, string Detail, string Remedy);

/// <summary>What <see cref="SandboxSetup.Check"/> found: each requirement of a sandbox trial.</summary>
/// <param name="Items">One entry per requirement, in the order a trial needs them.</param>
public sealed record SetupReport(IReadOnlyList<SetupItem> Items)
{
    /// <summary>Whether a sandbox trial can run: every requirement is ready.</summary>
    public bool Ready => Items.All(i => i.Ready);
}

/// <summary>
/// Checks what a sandbox trial needs (QEMU, the guest kernel toolchain, the BPF schedulers, the workloads) and builds
/// the toolchain into the user's cache from the build kit the packages ship, so a user outside a checkout gets a
/// working sandbox with one command.
/// </summary>
public sealed class SandboxSetup(ProcessRunner? runner = null)
{
    private readonly ProcessRunner _runner = runner ?? ProcessRunner.Default;

    /// <summary>What is present and what is missing, without changing anything.</summary>
    public static SetupReport Check()
    {
        var items = new List<SetupItem>
        {
            OnPath("qemu", "qemu-system-x86_64", "Install QEMU: apt-get install qemu-system-x86."),
            OnPath("clang", "clang", "Install clang (apt-get install clang) to compile generated or patched schedulers."),
        };

        items.Add(SandboxToolchain.TryLocate(null, out var toolchain, out var missing)
            ? new SetupItem("toolchain", true, $"{toolchain!.Directory} (linux-source {toolchain.LinuxSourceVersion})", "")
            : new SetupItem("toolchain", false, missing!.Message, KitDirectory() is null
                ? missing.Remedy
                : "Run `schedcp setup` to build it into the user's cache (about 20 minutes on two cores, once)."));

        var bpf = BpfObjectDirectory();
        items.Add(bpf is null
            ? new SetupItem("bpf-schedulers", false, "No built BPF scheduler objects were found.",
                "Install the SchedCP packages (they ship the objects), run bpf/build.sh in a checkout, or set SCHEDCP_BPF_DIR.")
            : new SetupItem("bpf-schedulers", true, $"{Directory.GetFiles(bpf, "*.bpf.o").Length} objects in {bpf}", ""));

        items.Add(WorkloadBinaries.TryLocate(out var workloads, out var failure)
            ? new SetupItem("workloads", true, workloads, "")
            : new SetupItem("workloads", false, failure.Message, failure.Remedy));
        return new SetupReport(items);
    }

    /// <summary>
    /// Builds (or reuses) the sandbox toolchain with the shipped kit: installs the Debian packages it needs when run
    /// as root, then builds the guest kernel, libbpf, the loader and the probe into the cache, keyed by their inputs.
    /// </summary>
    /// <param name="progress">Receives each step the build reports.</param>
    /// <param name="cancellationToken">Stops the build and kills its processes.</param>
    /// <returns>Null when the toolchain is ready, else what went wrong and what to do.</returns>
    public async Task<SandboxFailure?> BuildToolchainAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (KitDirectory() is not { } kit)
        {
            return new SandboxFailure(SandboxFailureKind.ToolchainMissing,
                "The toolchain build kit was not found next to this application or in a checkout above it.",
                "Install the SchedCP packages (they ship the kit under runtimes/linux-x64/native/schedcp/kit), or run ./build.sh toolchain in a checkout.");
        }

        foreach (var script in new[] { "install-deps.sh", "build-toolchain.sh" })
        {
            var run = await _runner.RunAsync(new ProcessRunRequest("bash")
            {
                Arguments = [Path.Combine(kit, "native", script)],
                WorkingDirectory = kit,
                Timeout = TimeSpan.FromHours(2),
                StandardErrorRetention = OutputRetention.Tail,
                MaxOutputBytes = 64 << 10,
                OnStandardErrorLine = line => progress?.Report(line),
            }, cancellationToken).ConfigureAwait(false);
            if (!run.Succeeded)
            {
                var why = run.StartFailure?.Message ?? (run.Cancelled ? "it was cancelled" : run.TimedOut ? "it ran past two hours" : $"it exited with {run.ExitCode}");
                var tail = run.StandardError.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5);
                return new SandboxFailure(run.Cancelled ? SandboxFailureKind.Cancelled : SandboxFailureKind.ToolchainMissing,
                    $"native/{script} failed: {why}. {string.Join(" | ", tail)}",
                    "Fix what the last lines say (a missing Debian package needs root: sudo schedcp setup), then run `schedcp setup` again; finished steps are reused.");
            }
        }

        return SandboxToolchain.TryLocate(null, out _, out var missing) ? null : missing;
    }

    /// <summary>The toolchain build kit: the packaged one, else the <c>native/</c> folder of a checkout above the application.</summary>
    public static string? KitDirectory()
    {
        if (NativeAssets.KitDirectory() is { } packaged)
        {
            return packaged;
        }

        return NativeAssets.InCheckoutAbove().FirstOrDefault(root => File.Exists(Path.Combine(root, "native", "build-toolchain.sh")));
    }

    /// <summary>The folder of the built BPF schedulers: <c>SCHEDCP_BPF_DIR</c>, the packaged ones, or <c>bpf/build</c> above the application.</summary>
    public static string? BpfObjectDirectory()
    {
        return NativeAssets.BpfObjectDirectories().FirstOrDefault(d => Directory.Exists(d) && Directory.EnumerateFiles(d, "*.bpf.o").Any());
    }

    private static SetupItem OnPath(string name, string executable, string remedy)
    {
        // The same lookup the sandbox runner starts QEMU with, so the check reports what a trial would find.
        var found = SandboxRunner.ResolveExecutable(executable);
        return found is null
            ? new SetupItem(name, false, $"{executable} is not on PATH.", remedy)
            : new SetupItem(name, true, found, "");
    }
}
