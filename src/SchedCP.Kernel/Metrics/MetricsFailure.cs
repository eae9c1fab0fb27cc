using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>Why a metrics collector could not produce a snapshot.</summary>
public enum MetricsFailureKind
{
    /// <summary>The file does not exist on this kernel (for example <c>/proc/schedstat</c> without CONFIG_SCHEDSTATS).</summary>
    Unavailable,

    /// <summary>The process or thread whose files were read no longer exists.</summary>
    ProcessGone,

    /// <summary>The file exists but this user may not read it.</summary>
    AccessDenied,

    /// <summary>Reading the file failed with an I/O error.</summary>
    ReadFailed,

    /// <summary>The text did not have the expected shape: truncated, corrupt or an unsupported format version.</summary>
    Malformed,

    /// <summary>The <c>perf</c> tool is not installed or does not match the running kernel.</summary>
    PerfNotInstalled,

    /// <summary><c>perf</c> ran but none of the requested counters could be counted on this machine.</summary>
    CountersNotSupported,

    /// <summary><c>perf</c> refused to count (permissions, bad target) or failed in another way.</summary>
    PerfFailed,
}

/// <summary>
/// An expected failure of a metrics collector: what went wrong and what to do about it. Returned, never thrown.
/// Parse failures also name the file, the 1-based line and what the parser expected there.
/// </summary>
/// <param name="Kind">The category of failure.</param>
/// <param name="Message">What went wrong, in a sentence.</param>
/// <param name="Remedy">What the user can do about it.</param>
public sealed record MetricsFailure(MetricsFailureKind Kind, string Message, string Remedy) : Failure<MetricsFailureKind>(Kind, Message, Remedy)
{
    /// <summary>The file that was read or parsed, when the failure concerns one.</summary>
    public string? File { get; init; }

    /// <summary>The 1-based line at which parsing failed; 0 when the failure concerns the whole file.</summary>
    public int Line { get; init; }

    /// <summary>What the parser expected to find, for <see cref="MetricsFailureKind.Malformed"/> failures.</summary>
    public string? Expected { get; init; }

    /// <summary>Creates a parse failure naming the file, the line and what was expected.</summary>
    /// <param name="file">The file (or a name for the text) that was parsed.</param>
    /// <param name="line">The 1-based line; 0 for the whole file.</param>
    /// <param name="expected">What the parser expected, e.g. "9 numbers after cpuN".</param>
    /// <param name="found">What was there instead (shortened).</param>
    internal static MetricsFailure Malformed(string file, int line, string expected, string found) =>
        new(
            MetricsFailureKind.Malformed,
            line > 0
                ? $"{file} line {line}: expected {expected}, found '{found}'."
                : $"{file}: expected {expected}, found {found}.",
            "The text is truncated, corrupt or from an unsupported kernel; capture the file again and report it if it persists.")
        {
            File = file,
            Line = line,
            Expected = expected,
        };
}
