using SchedCP.Kernel.Native;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Repository;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.ControlPlane.Scheduling;

/// <summary>
/// Turns a repository policy and its validated parameters into the scheduler the kernel layer runs: a BPF object with
/// its .rodata assignments, or a kernel example binary with its argument vector. One place, so the Execution agent,
/// the CLI and hosts resolve a policy the same way.
/// </summary>
public static class PolicySchedulers
{
    /// <summary>
    /// Finds the built object of a BPF-object or generated policy: in <paramref name="directory"/>, then in
    /// <c>SCHEDCP_BPF_DIR</c>, then among the objects the packages ship next to the application, then in a
    /// <c>bpf/build</c> folder above the application. Null when it is not built.
    /// </summary>
    public static string? FindObject(SchedulerPolicy policy, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var file = Path.GetFileName(policy.BuiltObject?.RelativePath ?? policy.Name + ".bpf.o");
        return NativeAssets.BpfObjectDirectories(directory).Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The BPF C source of a policy: its stored text, else its file under <paramref name="sourceDirectory"/>, the folder
    /// two levels above <paramref name="objectDirectory"/> (a <c>bpf/build</c> folder's checkout), <c>SCHEDCP_SOURCE_DIR</c>,
    /// or a checkout above the application. Null when none is found.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <param name="sourceDirectory">The checkout that holds <c>bpf/</c>, when known.</param>
    /// <param name="objectDirectory">Where its objects are built, when known.</param>
    public static string? ReadSource(SchedulerPolicy policy, string? sourceDirectory = null, string? objectDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Source?.Content is { } content)
        {
            return content;
        }

        if (policy.Source?.RelativePath is not { } relative || Path.IsPathRooted(relative) || relative.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var roots = new List<string?> { sourceDirectory, Environment.GetEnvironmentVariable("SCHEDCP_SOURCE_DIR") };
        foreach (var objects in new[] { objectDirectory, Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") })
        {
            if (!string.IsNullOrEmpty(objects) && Directory.GetParent(Path.GetFullPath(objects).TrimEnd(Path.DirectorySeparatorChar))?.Parent is { } checkout)
            {
                roots.Add(checkout.FullName);
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            roots.Add(dir.FullName);
        }

        var path = roots.Where(r => !string.IsNullOrEmpty(r)).Select(r => Path.Combine(r!, relative)).FirstOrDefault(File.Exists);
        return path is null ? null : File.ReadAllText(path);
    }

    /// <summary>
    /// The scheduler for <paramref name="policy"/> with <paramref name="parameters"/>, or null with
    /// <paramref name="problem"/> saying what is missing and what to do.
    /// </summary>
    public static SchedulerUnderTest? Create(SchedulerPolicy policy, ValidatedParameters parameters, string? bpfObjectDirectory, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(parameters);
        problem = null;
        switch (policy.Kind)
        {
            case PolicyKind.BpfObject or PolicyKind.Generated:
                if (FindObject(policy, bpfObjectDirectory) is not { } objectPath)
                {
                    problem = $"The object of {policy.Name} ({policy.BuiltObject?.RelativePath ?? "none"}) is not built; run bpf/build.sh or set SCHEDCP_BPF_DIR.";
                    return null;
                }

                return new BpfObjectScheduler(objectPath)
                {
                    Rodata = parameters.Rodata.ToDictionary(r => r.Variable, r => r.Value, StringComparer.Ordinal),
                };
            case PolicyKind.KernelExample:
                if (!SandboxToolchain.TryLocate(null, out var toolchain, out var missing))
                {
                    problem = missing!.Message;
                    return null;
                }

                return new ScxBinaryScheduler(toolchain!.ExampleBinary(policy.Name))
                {
                    Arguments = parameters.Arguments,
                    // scx_central's own init races its central CPU unless it starts there.
                    PinnedCpu = policy.Name == "scx_central" ? 0 : null,
                };
            default:
                problem = $"{policy.Name} is a {policy.Kind} policy: it needs its scx binary on a sched_ext host, which the sandbox does not have. Choose a bpfObject or kernelExample policy.";
                return null;
        }
    }

    /// <summary>
    /// The verdict that stands in for the compile and static stages of a kernel example: a binary built from the guest
    /// kernel's own source tree, with no object of ours to analyse; its sandbox run is its test.
    /// </summary>
    /// <param name="at">When the verdict was given.</param>
    /// <returns>The passing provenance verdict.</returns>
    public static StageVerdict KernelExampleProvenance(DateTimeOffset at) =>
        new("provenance", true, "the kernel's own example, built from the same source tree as the guest kernel", [], "", new Dictionary<string, double>(), TimeSpan.Zero, at);
}
