using ModelContextProtocol;
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Mcp.Tools;

/// <summary>
/// Decides where kernel tools act: this host when it can attach sched_ext schedulers, otherwise a sched_ext guest in
/// the sandbox (as <see cref="SchedCPMcpOptions.Target"/> allows), and refuses with advice when neither is possible.
/// </summary>
public sealed class SchedExtHost(CapabilityProbe probe, SchedCPMcpOptions options)
{
    private readonly Lazy<CapabilityReport> _report = new(probe.Probe);

    /// <summary>The capability report, probed once per server.</summary>
    public CapabilityReport Report => _report.Value;

    /// <summary>Where kernel tools act, without refusing: <see cref="SchedulerTarget.Host"/> or <see cref="SchedulerTarget.Sandbox"/>.</summary>
    public SchedulerTarget Target => options.Target switch
    {
        SchedulerTarget.Auto => Report.CanRunSchedulers ? SchedulerTarget.Host : SchedulerTarget.Sandbox,
        var fixedTarget => fixedTarget,
    };

    /// <summary>Where kernel tools act, in words: what the state resource reports.</summary>
    public string Describe() => Target == SchedulerTarget.Host ? "host" : "sandbox";

    /// <summary>Throws a typed tool error naming the missing capabilities when this host cannot run schedulers.</summary>
    /// <param name="tool">The tool that needs the kernel.</param>
    public void Require(string tool)
    {
        if (!Report.CanRunSchedulers)
        {
            var missing = string.Join("; ", Report.Checks.Where(c => !c.Available).Select(c => $"{c.Name}: {c.Advice}"));
            throw new McpException($"{tool}: needs a sched_ext host, and this one cannot attach schedulers ({missing}). Run the server as root on a Linux 6.12+ kernel with CONFIG_SCHED_CLASS_EXT, or start it with --target sandbox on a machine with the sandbox toolchain.");
        }
    }

    /// <summary>Throws a typed tool error when the sandbox toolchain (guest kernel, loader, clang headers) is missing.</summary>
    /// <param name="tool">The tool that needs the sandbox.</param>
    public static void RequireSandbox(string tool)
    {
        if (!SandboxToolchain.TryLocate(null, out _, out var missing))
        {
            throw new McpException($"{tool}: needs the sched_ext sandbox, and its toolchain is missing ({missing!.Message}). Build it with './build.sh toolchain' or set SCHEDCP_TOOLCHAIN.");
        }
    }

    /// <summary>Where <paramref name="tool"/> acts: the host or the sandbox; refuses when the chosen one is unavailable.</summary>
    /// <param name="tool">The tool that needs a kernel.</param>
    /// <returns><see cref="SchedulerTarget.Host"/> or <see cref="SchedulerTarget.Sandbox"/>.</returns>
    public SchedulerTarget Resolve(string tool)
    {
        switch (options.Target)
        {
            case SchedulerTarget.Host:
                Require(tool);
                return SchedulerTarget.Host;
            case SchedulerTarget.Sandbox:
                RequireSandbox(tool);
                return SchedulerTarget.Sandbox;
            default:
                if (Report.CanRunSchedulers)
                {
                    return SchedulerTarget.Host;
                }

                if (SandboxToolchain.TryLocate(null, out _, out _))
                {
                    return SchedulerTarget.Sandbox;
                }

                Require(tool);
                return SchedulerTarget.Host;
        }
    }
}
