using System.Text.Json;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// One task as the kernel saw it from fork to exit, recorded by the BPF probe (<c>bpf/probes/runqlat.bpf.c</c>) at its
/// exit: nothing is sampled, so a task of any length is there and its counters are the kernel's own.
/// </summary>
/// <param name="ThreadId">The task's id (a thread id; equal to <paramref name="ProcessId"/> for a process).</param>
/// <param name="ProcessId">Its thread group.</param>
/// <param name="ParentThreadId">The thread that forked it.</param>
/// <param name="ParentProcessId">That thread's group.</param>
/// <param name="ForkIndex">
/// The order of this fork among the forks the parent thread made while the probe was attached (0 first): what a rerun of
/// the same program reproduces even when every task has the same name and arguments.
/// </param>
/// <param name="Name">Its name (comm) at exit.</param>
/// <param name="ParentName">The parent thread's name when it forked.</param>
/// <param name="Execed">True when it called exec.</param>
/// <param name="ExecPath">The path it exec'd, or empty when it did not.</param>
/// <param name="Argv">The first arguments of its exec (up to 255 bytes' worth; empty when it did not exec).</param>
/// <param name="ArgvLength">The full length of its argv in bytes.</param>
/// <param name="StartNs">Fork time (CLOCK_MONOTONIC, ns).</param>
/// <param name="ExitNs">Exit time (CLOCK_MONOTONIC, ns).</param>
/// <param name="CpuNs">CPU time (the kernel's <c>se.sum_exec_runtime</c>).</param>
/// <param name="RunDelayNs">Time runnable but waiting for a CPU (<c>sched_info.run_delay</c>).</param>
/// <param name="VoluntarySwitches">Voluntary context switches (it blocked or slept).</param>
/// <param name="InvoluntarySwitches">Involuntary context switches (it was preempted).</param>
/// <param name="Wakeups">Times it was woken.</param>
/// <param name="TopWaker">The task that woke it most (a majority vote), or 0.</param>
/// <param name="ExitCode">The kernel's exit code (status &lt;&lt; 8, or the signal).</param>
public sealed record TaskRecord(
    int ThreadId,
    int ProcessId,
    int ParentThreadId,
    int ParentProcessId,
    int ForkIndex,
    string Name,
    string ParentName,
    bool Execed,
    string ExecPath,
    IReadOnlyList<string> Argv,
    int ArgvLength,
    ulong StartNs,
    ulong ExitNs,
    ulong CpuNs,
    ulong RunDelayNs,
    ulong VoluntarySwitches,
    ulong InvoluntarySwitches,
    ulong Wakeups,
    int TopWaker,
    int ExitCode)
{
    /// <summary>Most records read from one probe run; a workload with more tasks is reported incomplete.</summary>
    public const int MaxRecords = 200_000;

    /// <summary>Longest record line read; the probe's lines are well under 2 KiB.</summary>
    public const int MaxLineLength = 8192;

    /// <summary>From fork to exit.</summary>
    public TimeSpan Lifetime => TimeSpan.FromTicks((long)((ExitNs > StartNs ? ExitNs - StartNs : 0) / 100));

    /// <summary>True for a process (thread-group leader), false for another thread.</summary>
    public bool IsProcess => ThreadId == ProcessId;

    /// <summary>
    /// Reads the probe's task lines. Total: a line that is not a task record is counted in
    /// <paramref name="malformed"/> and skipped, never thrown on; at most <see cref="MaxRecords"/> are read.
    /// </summary>
    /// <param name="text">The probe's <c>--tasks</c> output.</param>
    /// <param name="malformed">Lines skipped as malformed, too long, or past the cap.</param>
    internal static IReadOnlyList<TaskRecord> ParseLines(string? text, out int malformed)
    {
        malformed = 0;
        var records = new List<TaskRecord>();
        if (string.IsNullOrEmpty(text))
        {
            return records;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length > MaxLineLength || records.Count >= MaxRecords || TryParse(line) is not { } record)
            {
                malformed++;
                continue;
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>Parses one task line; null when it is not one.</summary>
    /// <param name="line">The JSON object.</param>
    internal static TaskRecord? TryParse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 4 });
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var argv = new List<string>();
            if (r.TryGetProperty("argv", out var a) && a.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in a.EnumerateArray().Take(256))
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        argv.Add(item.GetString()!);
                    }
                }
            }

            return new TaskRecord(
                I(r, "pid"), I(r, "tgid"), I(r, "parent_pid"), I(r, "parent_tgid"), I(r, "fork_index"),
                S(r, "comm"), S(r, "parent_comm"), r.TryGetProperty("execed", out var e) && e.ValueKind == JsonValueKind.True,
                S(r, "exec"), argv, I(r, "argv_len"),
                U(r, "start_ns"), U(r, "exit_ns"), U(r, "cpu_ns"), U(r, "run_delay_ns"), U(r, "nvcsw"), U(r, "nivcsw"),
                U(r, "wakeups"), I(r, "top_waker"), I(r, "exit_code"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static int I(JsonElement r, string name) =>
        r.GetProperty(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : throw new FormatException(name);

    private static ulong U(JsonElement r, string name) =>
        r.GetProperty(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetUInt64(out var u) ? u : throw new FormatException(name);

    private static string S(JsonElement r, string name) =>
        r.GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new FormatException(name);
}
