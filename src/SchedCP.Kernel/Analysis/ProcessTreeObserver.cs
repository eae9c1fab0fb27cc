using System.Globalization;
using System.Text;
using SchedCP.Kernel.Bpf;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Tier 2's per-task view: polls a process and all its descendants until the root exits, reading each thread's CPU
/// time, run-queue wait and context switches (<see cref="TaskSchedCollector"/>). Read-only, no root needed for the
/// caller's own processes. Threads living shorter than the poll interval can be missed.
/// </summary>
public sealed class ProcessTreeObserver
{
    private const int MaxStatBytes = 64 << 10; // /proc/<pid>/stat is one line of well under 1 KiB

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly TaskSchedCollector _tasks;

    /// <summary>Creates an observer.</summary>
    /// <param name="root">The folder procfs is under (default <c>/</c>).</param>
    /// <param name="timeProvider">Clock for timestamps and the poll interval.</param>
    public ProcessTreeObserver(string root = "/", TimeProvider? timeProvider = null)
    {
        _root = root;
        _time = timeProvider ?? TimeProvider.System;
        _tasks = new TaskSchedCollector(root, _time);
    }

    /// <summary>Polls the tree of <paramref name="rootProcessId"/> until the root exits or the token is cancelled.</summary>
    /// <param name="rootProcessId">The root process.</param>
    /// <param name="pollInterval">Time between polls (default 10 ms).</param>
    /// <param name="cancellationToken">Ends the observation early (not an error: what was seen is returned).</param>
    public async Task<ProcessTreeObservation> ObserveAsync(int rootProcessId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(10);
        var seen = new Dictionary<int, TaskObservation>();
        var start = Now();
        var polls = 0;
        var peak = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Now();
            var alive = new HashSet<int>();
            var processes = Descendants(rootProcessId);
            if (processes.Count == 0)
            {
                break;
            }

            polls++;
            foreach (var pid in processes)
            {
                foreach (var tid in Threads(pid))
                {
                    if (!_tasks.Capture(tid).TryGetValue(out var snap, out _))
                    {
                        continue;
                    }

                    alive.Add(tid);
                    var name = ReadComm(pid, tid);
                    seen[tid] = seen.TryGetValue(tid, out var old)
                        ? old with { Name = name, LastSeen = now, RunNs = snap.RunNs ?? old.RunNs, WaitNs = snap.WaitNs ?? old.WaitNs, VoluntarySwitches = snap.VoluntarySwitches, InvoluntarySwitches = snap.InvoluntarySwitches }
                        : new TaskObservation(pid, tid, name, now, now, false, snap.RunNs ?? 0, snap.WaitNs ?? 0, snap.VoluntarySwitches, snap.InvoluntarySwitches);
                }
            }

            peak = Math.Max(peak, alive.Count);
            foreach (var (tid, t) in seen)
            {
                if (!t.Exited && !alive.Contains(tid))
                {
                    seen[tid] = t with { Exited = true };
                }
            }

            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return new ProcessTreeObservation(rootProcessId, Now() - start, polls, seen.Values.OrderBy(t => t.FirstSeen).ThenBy(t => t.ThreadId).ToArray(), peak);
    }

    /// <summary>The root and its live descendants (zombies excluded), from the parent ids in <c>/proc/*/stat</c>.</summary>
    internal List<int> Descendants(int rootProcessId)
    {
        var children = new Dictionary<int, List<int>>();
        var rootAlive = false;
        foreach (var dir in SafeDirectories(Path.Combine(_root, "proc")))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ReadStat(pid) is not { } stat)
            {
                continue;
            }

            if (stat.State == 'Z' || stat.State == 'X')
            {
                continue;
            }

            if (pid == rootProcessId)
            {
                rootAlive = true;
            }

            if (!children.TryGetValue(stat.ParentId, out var list))
            {
                children[stat.ParentId] = list = [];
            }

            list.Add(pid);
        }

        var result = new List<int>();
        if (!rootAlive)
        {
            return result;
        }

        var queue = new Queue<int>([rootProcessId]);
        while (queue.TryDequeue(out var p))
        {
            result.Add(p);
            if (children.TryGetValue(p, out var kids))
            {
                foreach (var k in kids)
                {
                    queue.Enqueue(k);
                }
            }
        }

        return result;
    }

    private IEnumerable<int> Threads(int pid)
    {
        foreach (var dir in SafeDirectories(Path.Combine(_root, "proc", pid.ToString(CultureInfo.InvariantCulture), "task")))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
            {
                yield return tid;
            }
        }
    }

    private (char State, int ParentId)? ReadStat(int pid)
    {
        // Bounded and regular files only: a FIFO or device under the root must not stall or flood the observer.
        var path = Path.Combine(_root, "proc", pid.ToString(CultureInfo.InvariantCulture), "stat");
        return RegularFile.TryReadAll(path, MaxStatBytes, out var bytes) is null ? ParseStat(Encoding.UTF8.GetString(bytes)) : null;
    }

    /// <summary>The state and parent id from the text of <c>/proc/&lt;pid&gt;/stat</c>; null when the text is not that.</summary>
    internal static (char State, int ParentId)? ParseStat(string text)
    {
        // The name may hold spaces and parentheses: fields resume after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 > text.Length)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        return fields.Length >= 2 && fields[0].Length > 0 && int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            ? (fields[0][0], parent)
            : null;
    }

    private string ReadComm(int pid, int tid)
    {
        try
        {
            // comm is at most 16 bytes; anything longer is not the kernel's file.
            return Bpf.RegularFile.TryReadAll(Path.Combine(_root, "proc", pid.ToString(CultureInfo.InvariantCulture), "task", tid.ToString(CultureInfo.InvariantCulture), "comm"), 256, out var bytes) is null
                ? System.Text.Encoding.UTF8.GetString(bytes).Trim()
                : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string[] SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private TimeSpan Now() => _time.GetElapsedTime(0, _time.GetTimestamp());
}
