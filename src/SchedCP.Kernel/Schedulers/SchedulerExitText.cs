using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Schedulers;

/// <summary>
/// Reads the exit report that scx-style schedulers print on standard error (<c>EXIT: reason</c>, then the message),
/// for schedulers that are not run through <c>schedcp-loader</c>.
/// </summary>
internal static class SchedulerExitText
{
    /// <summary>Finds the exit report in a scheduler's output.</summary>
    /// <param name="output">The scheduler's standard error (or combined output).</param>
    /// <returns>The kind, reason and message; null when the output holds no "EXIT:" line.</returns>
    public static (SchedExtExitKind Kind, string Reason, string Message)? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith("EXIT: ", StringComparison.Ordinal));
        if (at < 0)
        {
            return null;
        }

        var reason = lines[at]["EXIT: ".Length..].Trim();
        var message = at + 1 < lines.Length ? lines[at + 1].Trim() : "";
        // The reason strings of kernel/sched/ext.c scx_exit_reason().
        var kind = reason switch
        {
            "unregistered from user space" => SchedExtExitKind.Unregistered,
            "unregistered from the main kernel" => SchedExtExitKind.UnregisteredByKernel,
            "unregistered from BPF" => SchedExtExitKind.UnregisteredByBpf,
            "disabled by sysrq-S" => SchedExtExitKind.SysRq,
            "runtime error" => SchedExtExitKind.Error,
            "scx_bpf_error" => SchedExtExitKind.ErrorBpf,
            "runnable task stall" => SchedExtExitKind.ErrorStall,
            _ => SchedExtExitKind.None,
        };
        return (kind, reason, message);
    }
}
