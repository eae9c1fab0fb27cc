using ModelContextProtocol;
using SchedCP.Kernel.Capabilities;

namespace SchedCP.Mcp.Tools;

/// <summary>Answers whether this machine can attach sched_ext schedulers, and refuses kernel tools with advice when it cannot.</summary>
public sealed class SchedExtHost(CapabilityProbe probe)
{
    private readonly Lazy<CapabilityReport> _report = new(probe.Probe);

    /// <summary>The capability report, probed once per server.</summary>
    public CapabilityReport Report => _report.Value;

    /// <summary>Throws a typed tool error naming the missing capabilities when this host cannot run schedulers.</summary>
    /// <param name="tool">The tool that needs the kernel.</param>
    public void Require(string tool)
    {
        if (!Report.CanRunSchedulers)
        {
            var missing = string.Join("; ", Report.Checks.Where(c => !c.Available).Select(c => $"{c.Name}: {c.Advice}"));
            throw new McpException($"{tool}: needs a sched_ext host, and this one cannot attach schedulers ({missing}). Run the server as root on a Linux 6.12+ kernel with CONFIG_SCHED_CLASS_EXT, or use verify(stage=parameters) and the sandbox tools instead.");
        }
    }
}
