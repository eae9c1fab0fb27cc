using System.ComponentModel;
using ModelContextProtocol.Server;
using SchedCP.Kernel.SchedExt;
using SchedCP.Mcp.Tools;

namespace SchedCP.Mcp.Resources;

/// <summary>Read-only resources: what this host can do and what it runs now.</summary>
[McpServerResourceType]
public sealed class SchedCPResources(SchedExtHost host, SchedExtState sched, ControlPlaneState state)
{
    /// <summary>The capability report.</summary>
    /// <returns>Text, one check a line.</returns>
    [McpServerResource(UriTemplate = "schedcp://capabilities", Name = "capabilities", MimeType = "text/plain")]
    [Description("What this machine can do with sched_ext, with advice for what is missing.")]
    public string Capabilities() => host.Report.ToString();

    /// <summary>The current state.</summary>
    /// <returns>Text.</returns>
    [McpServerResource(UriTemplate = "schedcp://state", Name = "state", MimeType = "text/plain")]
    [Description("The kernel's sched_ext state and this server's executions and deployments.")]
    public string CurrentState()
    {
        var kernel = sched.TryRead(out var status, out var failure)
            ? $"sched_ext {status!.State.ToString().ToLowerInvariant()}, ops {status.Ops ?? "-"}"
            : $"sched_ext unreadable: {failure}";
        return $"{kernel}\nkernel tools act on: {host.Describe()}\nexecutions {state.Executions.Count}, running {state.Executions.Values.Count(e => e.State == "running")}\ndeployments {string.Join(" > ", state.Deployments.Reverse())}";
    }
}
