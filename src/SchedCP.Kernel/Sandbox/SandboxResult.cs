namespace SchedCP.Kernel.Sandbox;

/// <summary>How long the phases of a sandbox job took, measured on the host.</summary>
/// <param name="BootToReady">From starting QEMU to the guest's ready marker; null if it never became ready.</param>
/// <param name="Job">From the ready marker to the guest's done marker; null if the job did not finish.</param>
/// <param name="Total">From starting QEMU to QEMU's exit (or kill).</param>
public sealed record SandboxTimings(TimeSpan? BootToReady, TimeSpan? Job, TimeSpan Total);

/// <summary>
/// What a sandbox job produced: the guest script's exit status, its output, the files it left under <c>out/</c>,
/// the tail of the serial console and the timings. <see cref="Failure"/> is set when there is no guest result.
/// </summary>
public sealed class SandboxResult
{
    /// <summary>Creates a result.</summary>
    public SandboxResult(
        string jobDirectory,
        int? guestExitCode,
        string jobLog,
        IReadOnlyList<string> consoleTail,
        SandboxTimings timings,
        SandboxFailure? failure)
    {
        JobDirectory = jobDirectory;
        GuestExitCode = guestExitCode;
        JobLog = jobLog;
        ConsoleTail = consoleTail;
        Timings = timings;
        Failure = failure;
    }

    /// <summary>The host folder shared with the guest as the job folder; kept after the run.</summary>
    public string JobDirectory { get; }

    /// <summary>The folder whose files the guest left for the host (<c>out/</c> in the job folder).</summary>
    public string OutputDirectory => Path.Combine(JobDirectory, "out");

    /// <summary>The exit status of the guest script; null when the guest did not record one.</summary>
    public int? GuestExitCode { get; }

    /// <summary>Standard output and error of the guest script.</summary>
    public string JobLog { get; }

    /// <summary>The last lines of the serial console.</summary>
    public IReadOnlyList<string> ConsoleTail { get; }

    /// <summary>Phase timings.</summary>
    public SandboxTimings Timings { get; }

    /// <summary>Why there is no guest result, or null when the guest ran the script to its end.</summary>
    public SandboxFailure? Failure { get; }

    /// <summary>True when the guest ran the script and it exited with status 0.</summary>
    public bool Succeeded => Failure is null && GuestExitCode == 0;

    /// <summary>Names (relative to <see cref="OutputDirectory"/>) of the files the guest left.</summary>
    public IReadOnlyList<string> OutputFiles =>
        Directory.Exists(OutputDirectory)
            ? Directory.GetFiles(OutputDirectory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(OutputDirectory, f))
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];

    /// <summary>The largest file read back from a guest (256 MiB): the guest is not trusted to bound its own output.</summary>
    public const int MaxOutputBytes = 256 << 20;

    /// <summary>
    /// Reads a file the guest left under <c>out/</c>, or null if it is absent, not a regular file (a FIFO or device the
    /// guest made) or larger than <see cref="MaxOutputBytes"/>.
    /// </summary>
    /// <param name="relativePath">Path relative to <see cref="OutputDirectory"/>.</param>
    public string? ReadOutput(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(OutputDirectory, relativePath));
        if (!full.StartsWith(Path.GetFullPath(OutputDirectory), StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is outside the job's output folder.", nameof(relativePath));
        }

        return Bpf.RegularFile.TryReadAll(full, MaxOutputBytes, out var bytes) is null ? System.Text.Encoding.UTF8.GetString(bytes) : null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Failure is { } f ? $"sandbox job failed: {f}" : $"sandbox job exited {GuestExitCode} in {Timings.Total.TotalSeconds:F1} s";
}
