using System.Text.Json;
using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Loader;

/// <summary>
/// One event reported by <c>schedcp-loader</c> as a JSON line. The subtypes are the loader's event kinds;
/// <see cref="Parse"/> turns a line into one of them.
/// </summary>
public abstract record LoaderEvent
{
    /// <summary>The longest line parsed as an event (16 MiB, room for the largest verifier log libbpf keeps); longer lines are <see cref="UnrecognisedLoaderOutput"/>.</summary>
    public const int MaxLineLength = 16 << 20;

    /// <summary>
    /// Parses one JSON line; returns null for blank lines and <see cref="UnrecognisedLoaderOutput"/> for anything else
    /// unknown, malformed, out of range or longer than <see cref="MaxLineLength"/>. Never throws for any line.
    /// </summary>
    /// <param name="line">A line of the loader's standard output.</param>
    internal static LoaderEvent? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        if (line.Length > MaxLineLength)
        {
            return new UnrecognisedLoaderOutput(line);
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            string S(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            double D(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
            long L(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

            return S("event") switch
            {
                "opened" => new ObjectOpened(S("object"), S("ops_map"),
                    e.TryGetProperty("programs", out var ps) ? ps.EnumerateArray().Select(p => p.GetString() ?? "").ToArray() : []),
                "rodata" => new RodataAssigned(S("name"), S("value"), (int)L("size")),
                "loaded" => new SchedulerLoaded(TimeSpan.FromMilliseconds(D("load_ms")),
                    e.TryGetProperty("programs", out var lp)
                        ? lp.EnumerateArray().Select(p => new LoadedProgram(
                            p.GetProperty("name").GetString() ?? "",
                            p.GetProperty("insns").GetInt32(),
                            p.GetProperty("verified_insns").GetInt32(),
                            p.GetProperty("jited_bytes").GetInt32())).ToArray()
                        : []),
                "load_failed" => new SchedulerLoadFailed((int)L("errno"), S("error"), S("log")),
                "attach_failed" => new SchedulerAttachFailed((int)L("errno"), S("error"), S("log")),
                "attached" => new SchedulerAttached(TimeSpan.FromMilliseconds(D("attach_ms")), S("state"), L("enable_seq")),
                "exited" => new SchedulerExited(S("trigger"), (SchedExtExitKind)L("kind"), L("exit_code"), S("reason"), S("message"), S("dump")),
                "detached" => new SchedulerDetached(TimeSpan.FromMilliseconds(D("ran_ms"))),
                "error" => new LoaderError(S("stage"), S("message")),
                _ => new UnrecognisedLoaderOutput(line),
            };
        }
        // Durations out of TimeSpan's range overflow; wrong JSON types and missing members throw the others.
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException or ArgumentException)
        {
            return new UnrecognisedLoaderOutput(line);
        }
    }
}

/// <summary>The object was opened and its struct_ops map found.</summary>
/// <param name="ObjectPath">The BPF object.</param>
/// <param name="OpsMap">The struct_ops map that will be attached.</param>
/// <param name="Programs">The programs in the object.</param>
public sealed record ObjectOpened(string ObjectPath, string OpsMap, IReadOnlyList<string> Programs) : LoaderEvent;

/// <summary>A <c>.rodata</c> variable was set before load.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Value">The value as given.</param>
/// <param name="Size">Its size in bytes.</param>
public sealed record RodataAssigned(string Name, string Value, int Size) : LoaderEvent;

/// <summary>One program accepted by the kernel verifier.</summary>
/// <param name="Name">The program (callback) name.</param>
/// <param name="Instructions">Instructions after verification (xlated).</param>
/// <param name="VerifiedInstructions">Instructions the verifier processed.</param>
/// <param name="JitedBytes">Size of the JIT-compiled code.</param>
public sealed record LoadedProgram(string Name, int Instructions, int VerifiedInstructions, int JitedBytes);

/// <summary>The kernel verifier accepted every program.</summary>
/// <param name="LoadTime">Time to open and load.</param>
/// <param name="Programs">Per-program verifier statistics.</param>
public sealed record SchedulerLoaded(TimeSpan LoadTime, IReadOnlyList<LoadedProgram> Programs) : LoaderEvent;

/// <summary>The kernel refused to load the object.</summary>
/// <param name="Errno">The error number.</param>
/// <param name="Error">The error text.</param>
/// <param name="VerifierLog">libbpf's log including the kernel verifier's log.</param>
public sealed record SchedulerLoadFailed(int Errno, string Error, string VerifierLog) : LoaderEvent;

/// <summary>The struct_ops link could not be attached (for example another scheduler is running).</summary>
/// <param name="Errno">The error number.</param>
/// <param name="Error">The error text.</param>
/// <param name="Log">libbpf's log.</param>
public sealed record SchedulerAttachFailed(int Errno, string Error, string Log) : LoaderEvent;

/// <summary>The scheduler is attached.</summary>
/// <param name="AttachTime">Time from load to attach.</param>
/// <param name="State">The sched_ext state right after attaching.</param>
/// <param name="EnableSeq">The enable sequence number right after attaching.</param>
public sealed record SchedulerAttached(TimeSpan AttachTime, string State, long EnableSeq) : LoaderEvent;

/// <summary>The scheduler stopped; the exit info it recorded.</summary>
/// <param name="Trigger">What ended it: SIGINT, SIGTERM, duration, or scheduler_exit (the kernel ended it).</param>
/// <param name="Kind">The exit kind.</param>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Reason">The kernel's reason text.</param>
/// <param name="Message">The message (for example the text passed to <c>scx_bpf_error</c>).</param>
/// <param name="Dump">The debug dump, if any.</param>
public sealed record SchedulerExited(string Trigger, SchedExtExitKind Kind, long ExitCode, string Reason, string Message, string Dump) : LoaderEvent;

/// <summary>The loader detached and is about to exit.</summary>
/// <param name="Ran">How long the scheduler was attached.</param>
public sealed record SchedulerDetached(TimeSpan Ran) : LoaderEvent;

/// <summary>The loader refused its input (bad argument, unknown variable, not a sched_ext object).</summary>
/// <param name="Stage">Where: arguments, open, rodata.</param>
/// <param name="Message">What was wrong.</param>
public sealed record LoaderError(string Stage, string Message) : LoaderEvent;

/// <summary>A line that is not a loader event.</summary>
/// <param name="Line">The line.</param>
public sealed record UnrecognisedLoaderOutput(string Line) : LoaderEvent;
