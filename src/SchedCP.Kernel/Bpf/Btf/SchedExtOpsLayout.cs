namespace SchedCP.Kernel.Bpf.Btf;

/// <summary>
/// What a kernel's BTF says about <c>struct sched_ext_ops</c>: whether it exists and which members it has. Members
/// were added over kernel generations (e.g. <c>dump*</c> and <c>cpu_acquire</c>/<c>cpu_release</c> with 6.12,
/// <c>cgroup_*</c> with cgroup support, <c>hotplug_seq</c>, <c>exit_dump_len</c>), so the member set tells which
/// scheduler features a kernel can load.
/// </summary>
/// <param name="Exists">True when the kernel has sched_ext.</param>
/// <param name="SizeBytes">The struct's size; 0 when absent.</param>
/// <param name="Members">The members by name, in declaration order; empty when absent.</param>
internal sealed record SchedExtOpsLayout(bool Exists, uint SizeBytes, IReadOnlyList<BtfMember> Members)
{
    /// <summary>The struct's name in BTF.</summary>
    public const string StructName = "sched_ext_ops";

    /// <summary>Members whose presence distinguishes kernel generations.</summary>
    public static IReadOnlyList<string> GenerationMarkers { get; } =
        ["dump", "dump_cpu", "dump_task", "cpu_acquire", "cpu_release", "cgroup_init", "exit_dump_len", "hotplug_seq", "timeout_ms", "name"];

    /// <summary>Reads the layout from a kernel's BTF (e.g. <c>/sys/kernel/btf/vmlinux</c>).</summary>
    /// <param name="btf">The kernel BTF.</param>
    public static SchedExtOpsLayout Probe(BtfSpec btf)
    {
        ArgumentNullException.ThrowIfNull(btf);
        return btf.Find(StructName, BtfKind.Struct) is { } ops
            ? new SchedExtOpsLayout(true, ops.Size, ops.Members)
            : new SchedExtOpsLayout(false, 0, []);
    }

    /// <summary>True when the struct exists and has a member with this name.</summary>
    /// <param name="member">The member name, e.g. <c>dump_task</c>.</param>
    public bool HasMember(string member)
    {
        foreach (var m in Members)
        {
            if (m.Name == member)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The <see cref="GenerationMarkers"/> this kernel has.</summary>
    public IReadOnlyList<string> PresentMarkers => [.. GenerationMarkers.Where(HasMember)];
}
