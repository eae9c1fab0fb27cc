namespace SchedCP.Repository;

/// <summary>
/// What a host offers, to filter policies down to those that can run there (usually filled from the kernel package's
/// capability probe, or describing the sandbox).
/// </summary>
/// <param name="KernelVersion">The running kernel release.</param>
/// <param name="HasSchedExt">Whether <c>/sys/kernel/sched_ext</c> exists.</param>
/// <param name="AvailableBinaries">Scheduler executables found on the host (for example <c>scx_rusty</c>).</param>
/// <param name="Features">Kernel features present, as lower-case names (<c>btf</c>, <c>cgroup_v2</c>, <c>nohz_full</c>, <c>function_tracer</c>, ...). <c>sched_ext</c> is implied by <paramref name="HasSchedExt"/>.</param>
public sealed record PolicyRequirementsContext(
    Version KernelVersion,
    bool HasSchedExt,
    IReadOnlySet<string> AvailableBinaries,
    IReadOnlySet<string> Features)
{
    /// <summary>The project's sandbox: its own 6.12 sched_ext kernel with BTF, no scx binaries; runs BPF-object policies and toolchain-built examples.</summary>
    public static PolicyRequirementsContext Sandbox { get; } = new(
        new Version(6, 12),
        true,
        new HashSet<string>(["scx_simple", "scx_qmap", "scx_central", "scx_flatcg"], StringComparer.Ordinal),
        new HashSet<string>(["btf"], StringComparer.Ordinal));

    /// <summary>Whether every requirement is met.</summary>
    /// <param name="requirements">The policy's requirements.</param>
    /// <returns><see langword="true"/> when the policy can run here.</returns>
    public bool Satisfies(PolicyRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);

        // Runs once per candidate in every filtered search, so it allocates nothing.
        if (requirements.MinimumKernelVersion is not { } min || KernelVersion < min)
        {
            return false;
        }

        // Indexed loops: foreach over an IReadOnlyList boxes its enumerator.
        var features = requirements.KernelFeatures;
        for (var i = 0; i < features.Count; i++)
        {
            if (!(features[i] == "sched_ext" ? HasSchedExt : Features.Contains(features[i])))
            {
                return false;
            }
        }

        var binaries = requirements.Binaries;
        for (var i = 0; i < binaries.Count; i++)
        {
            if (!AvailableBinaries.Contains(binaries[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The requirements that are not met, in words.</summary>
    /// <param name="requirements">The policy's requirements.</param>
    /// <returns>An empty list when the policy can run here.</returns>
    public IReadOnlyList<string> Unmet(PolicyRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var unmet = new List<string>();
        if (requirements.MinimumKernelVersion is not { } min || KernelVersion < min)
        {
            unmet.Add($"kernel {requirements.MinimumKernel} or newer");
        }

        foreach (var feature in requirements.KernelFeatures)
        {
            var present = feature == "sched_ext" ? HasSchedExt : Features.Contains(feature);
            if (!present)
            {
                unmet.Add($"kernel feature {feature}");
            }
        }

        foreach (var binary in requirements.Binaries)
        {
            if (!AvailableBinaries.Contains(binary))
            {
                unmet.Add($"binary {binary}");
            }
        }

        return unmet;
    }
}
