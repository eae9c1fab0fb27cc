using System.Globalization;

namespace SchedCP.Kernel.SchedExt;

/// <summary>
/// Reads the kernel's sched_ext state from sysfs — the ground truth of which scheduler runs — and waits for a state
/// cheaply. The root is configurable so recorded sysfs trees can be read in tests.
/// </summary>
public sealed class SchedExtState
{
    /// <summary>The kernel's location of the sched_ext sysfs tree.</summary>
    public const string DefaultRoot = "/sys/kernel/sched_ext";

    private readonly string _root;
    private readonly TimeProvider _time;

    /// <summary>Creates a reader.</summary>
    /// <param name="root">The sched_ext sysfs folder; default <see cref="DefaultRoot"/>.</param>
    /// <param name="timeProvider">Clock for waits.</param>
    public SchedExtState(string root = DefaultRoot, TimeProvider? timeProvider = null)
    {
        _root = root;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>True when the kernel has sched_ext (<c>CONFIG_SCHED_CLASS_EXT</c>).</summary>
    public bool IsSupported => Directory.Exists(_root);

    /// <summary>Reads every file once.</summary>
    /// <param name="status">The state when it could be read.</param>
    /// <param name="failure">Why not otherwise.</param>
    /// <returns>True when read.</returns>
    public bool TryRead(out SchedExtStatus? status, out SchedExtReadFailure? failure)
    {
        status = null;
        failure = null;
        if (!IsSupported)
        {
            failure = new SchedExtReadFailure($"This kernel has no sched_ext ('{_root}' does not exist).",
                "Use a kernel built with CONFIG_SCHED_CLASS_EXT=y (6.12 or later), or run in the SchedCP sandbox.");
            return false;
        }

        try
        {
            var stateText = ReadText("state");
            if (stateText is null)
            {
                failure = new SchedExtReadFailure($"'{_root}/state' could not be read.", "Check that sysfs is mounted and readable.");
                return false;
            }

            var state = ParseState(stateText);
            var ops = ReadText("root/ops");
            status = new SchedExtStatus(
                state,
                state is SchedExtRunState.Enabled or SchedExtRunState.Enabling or SchedExtRunState.Disabling && !string.IsNullOrEmpty(ops) ? ops : null,
                ReadLong("enable_seq"),
                ReadLong("nr_rejected"),
                ReadLong("hotplug_seq"),
                ReadLong("switch_all") == 1,
                ReadEvents());
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = new SchedExtReadFailure($"Reading '{_root}' failed: {ex.Message}", "Check permissions on sysfs.");
            return false;
        }
    }

    /// <summary>Reads only the run state, or <see cref="SchedExtRunState.Unknown"/> when it cannot be read.</summary>
    public SchedExtRunState ReadState() => ReadText("state") is { } s ? ParseState(s) : SchedExtRunState.Unknown;

    /// <summary>
    /// Waits until the state is <paramref name="wanted"/> (and, if given, the ops name matches), polling with a
    /// back-off from 1 ms to 25 ms so a wait costs little. Returns the last status read.
    /// </summary>
    /// <param name="wanted">The state to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="opsName">The ops name that must be attached, or null for any.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Whether the state was reached, and the last status read.</returns>
    public async Task<(bool Reached, SchedExtStatus? Last)> WaitForAsync(
        SchedExtRunState wanted, TimeSpan timeout, string? opsName = null, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(1);
        SchedExtStatus? last = null;
        while (true)
        {
            if (TryRead(out var status, out _))
            {
                last = status;
                if (status!.State == wanted && (opsName is null || status.Ops == opsName))
                {
                    return (true, status);
                }
            }

            if (_time.GetElapsedTime(started) >= timeout)
            {
                return (false, last);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(25, delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>Parses the text of the <c>state</c> file.</summary>
    /// <param name="text">The file's text.</param>
    internal static SchedExtRunState ParseState(string text) => text.Trim() switch
    {
        "disabled" => SchedExtRunState.Disabled,
        "enabling" => SchedExtRunState.Enabling,
        "enabled" => SchedExtRunState.Enabled,
        "disabling" => SchedExtRunState.Disabling,
        _ => SchedExtRunState.Unknown,
    };

    private string? ReadText(string relative)
    {
        var path = Path.Combine(_root, relative);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private long ReadLong(string relative) =>
        ReadText(relative) is { } t && long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1;

    private Dictionary<string, long> ReadEvents()
    {
        var events = new Dictionary<string, long>(StringComparer.Ordinal);
        if (ReadText("root/events") is not { } text)
        {
            return events;
        }

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                events[parts[0]] = n;
            }
        }

        return events;
    }
}
