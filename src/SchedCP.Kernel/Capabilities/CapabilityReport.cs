using System.Text;

namespace SchedCP.Kernel.Capabilities;

/// <summary>
/// What this machine can do with sched_ext: kernel, sched_ext state, BTF and the generation of
/// <c>struct sched_ext_ops</c>, privileges, isolated CPUs and clang. Produced by <see cref="CapabilityProbe"/>.
/// </summary>
/// <param name="KernelRelease">The running kernel's release.</param>
/// <param name="Checks">Each check, in a stable order.</param>
public sealed record CapabilityReport(string KernelRelease, IReadOnlyList<CapabilityCheck> Checks)
{
    /// <summary>True when schedulers can be deployed on this machine (sched_ext present, BTF present, privileged).</summary>
    public bool CanRunSchedulers =>
        Checks.Where(c => c.Name is "sched_ext" or "BTF" or "privileges").All(c => c.Available);

    /// <summary>The check with this name, or null.</summary>
    /// <param name="name">A check name such as <c>sched_ext</c>.</param>
    public CapabilityCheck? this[string name] => Checks.FirstOrDefault(c => c.Name == name);

    /// <summary>A plain-text report, one check per line, with advice under each missing one.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("kernel ").Append(KernelRelease).Append(CanRunSchedulers ? ": can run sched_ext schedulers" : ": cannot run sched_ext schedulers here").Append('\n');
        foreach (var c in Checks)
        {
            sb.Append(c.Available ? "  [ok] " : "  [--] ").Append(c.Name.PadRight(14)).Append(c.Finding).Append('\n');
            if (!c.Available && c.Advice.Length > 0)
            {
                sb.Append("       ").Append(' ', 14).Append("-> ").Append(c.Advice).Append('\n');
            }
        }

        return sb.ToString();
    }
}
