namespace SchedCP.Core.Processes;

/// <summary>
/// What <see cref="ProcessRunner"/> runs: an executable and its arguments, passed as a list (never through a shell),
/// where, with which environment, for how long, and how much of its output to keep.
/// </summary>
/// <param name="fileName">The executable: a path, or a name looked up on PATH.</param>
public sealed class ProcessRunRequest(string fileName)
{
    /// <summary>The default <see cref="Timeout"/>: five minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="MaxOutputBytes"/>: 16 MiB per stream.</summary>
    public const int DefaultMaxOutputBytes = 16 << 20;

    /// <summary>The executable: a path, or a name looked up on PATH.</summary>
    public string FileName { get; } = string.IsNullOrEmpty(fileName) ? throw new ArgumentException("Name the executable to run.", nameof(fileName)) : fileName;

    /// <summary>The arguments, each passed to the process as one argument exactly as written.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory; null keeps this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>When false the child starts with an empty environment plus <see cref="Environment"/>; default true (this process's environment).</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>Variables to set in the child's environment, over the inherited ones.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>
    /// How long the process may run before it and every process it started are killed; default five minutes.
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits for ever.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The bytes kept of each of standard output and standard error; the rest is read and dropped, so the child never blocks on a full pipe. Default 16 MiB.</summary>
    public int MaxOutputBytes { get; init; } = DefaultMaxOutputBytes;

    /// <summary>Which part of standard output is kept past the cap; default the head.</summary>
    public OutputRetention StandardOutputRetention { get; init; } = OutputRetention.Head;

    /// <summary>Which part of standard error is kept past the cap; default the head.</summary>
    public OutputRetention StandardErrorRetention { get; init; } = OutputRetention.Head;

    /// <summary>Called with the process id as soon as the process runs, e.g. to observe it.</summary>
    public Action<int>? OnStarted { get; init; }

    /// <summary>Called with each line of standard output as it arrives (cut at 4 KiB), e.g. to show progress; it must not block.</summary>
    public Action<string>? OnStandardOutputLine { get; init; }

    /// <summary>Called with each line of standard error as it arrives (cut at 4 KiB), e.g. to show progress; it must not block.</summary>
    public Action<string>? OnStandardErrorLine { get; init; }
}
