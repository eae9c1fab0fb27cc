using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Schedulers;

/// <summary>
/// Reads the exit report that scx-style schedulers print on standard error, for schedulers that are not run through
/// <c>schedcp-loader</c>. The scx headers' <c>UEI_REPORT</c> writes <c>EXIT: reason (message)</c> on one line, the
/// message part only when there is one; an older form put the message on the next line, which is read too.
/// </summary>
internal static class SchedulerExitText
{
    // The reason strings of kernel/sched/ext.c scx_exit_reason(), longest first so a reason is never read as a shorter one's prefix.
    private static readonly (string Reason, SchedExtExitKind Kind)[] Reasons =
    [
        ("unregistered from the main kernel", SchedExtExitKind.UnregisteredByKernel),
        ("unregistered from user space", SchedExtExitKind.Unregistered),
        ("unregistered from BPF", SchedExtExitKind.UnregisteredByBpf),
        ("runnable task stall", SchedExtExitKind.ErrorStall),
        ("disabled by sysrq-S", SchedExtExitKind.SysRq),
        ("runtime error", SchedExtExitKind.Error),
        ("scx_bpf_error", SchedExtExitKind.ErrorBpf),
    ];

    /// <summary>Finds the exit report in a scheduler's output.</summary>
    /// <param name="output">The scheduler's standard error (or combined output).</param>
    /// <returns>The kind, reason and message; null when the output holds no "EXIT:" line.</returns>
    public static (SchedExtExitKind Kind, string Reason, string Message)? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n');
        var at = Array.FindLastIndex(lines, l => l.StartsWith("EXIT: ", StringComparison.Ordinal));
        if (at < 0)
        {
            return null;
        }

        var text = lines[at]["EXIT: ".Length..].Trim();
        foreach (var (reason, kind) in Reasons)
        {
            if (!text.StartsWith(reason, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = text[reason.Length..].Trim();
            var message = rest.StartsWith('(') && rest.EndsWith(')') ? rest[1..^1]
                : rest.Length == 0 && at + 1 < lines.Length ? lines[at + 1].Trim()
                : rest;
            return (kind, reason, message);
        }

        return (SchedExtExitKind.None, text, at + 1 < lines.Length ? lines[at + 1].Trim() : "");
    }
}
