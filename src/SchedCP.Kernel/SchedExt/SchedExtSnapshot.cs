using System.Globalization;

namespace SchedCP.Kernel.SchedExt;

/// <summary>
/// The kernel's sched_ext state at one moment, as read from <c>/sys/kernel/sched_ext</c>: <c>state</c>,
/// <c>root/ops</c>, <c>enable_seq</c>, <c>nr_rejected</c>, <c>switch_all</c> and <c>hotplug_seq</c>.
/// </summary>
/// <param name="Label">Where in a trial the snapshot was taken (before, attached, running, after).</param>
/// <param name="State">The raw state: enabled, disabled, enabling, disabling.</param>
/// <param name="Ops">The running scheduler's ops name, or empty when none.</param>
/// <param name="EnableSeq">How many times a scheduler has been enabled since boot.</param>
/// <param name="NrRejected">Tasks the scheduler rejected from switching to SCHED_EXT.</param>
/// <param name="SwitchAll">Whether every normal task is under the scheduler.</param>
/// <param name="HotplugSeq">The CPU hotplug sequence number.</param>
/// <param name="UptimeSeconds">The guest's uptime when read.</param>
public sealed record SchedExtSnapshot(
    string Label,
    string State,
    string Ops,
    long EnableSeq,
    long NrRejected,
    bool SwitchAll,
    long HotplugSeq,
    double UptimeSeconds)
{
    /// <summary>True when a BPF scheduler is attached and in charge.</summary>
    public bool IsEnabled => State == "enabled";

    /// <summary>
    /// Parses one line written by the trial script: a label followed by <c>key=value</c> pairs. Unknown keys are ignored;
    /// a line without a label yields null.
    /// </summary>
    /// <param name="line">The line to parse.</param>
    internal static SchedExtSnapshot? ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts[0].Contains('=', StringComparison.Ordinal))
        {
            return null;
        }

        var values = parts.Skip(1)
            .Select(p => p.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

        string Text(string key) => values.TryGetValue(key, out var v) ? v : "";
        long Number(string key) => long.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1;

        return new SchedExtSnapshot(
            parts[0],
            Text("state"),
            Text("ops"),
            Number("enable_seq"),
            Number("nr_rejected"),
            Number("switch_all") == 1,
            Number("hotplug_seq"),
            double.TryParse(Text("t"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : double.NaN);
    }
}
