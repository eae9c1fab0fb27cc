using System.Buffers;
using SchedCP.Kernel.Bpf;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Reads a procfs file into a pooled buffer. procfs reports a size of 0, so the file is read until end of file, up to a
/// cap; the buffer grows when the text does not fit. Expected I/O failures, files that are not regular (a FIFO, a
/// device) and text over the cap become a <see cref="MetricsFailure"/>.
/// </summary>
internal sealed class ProcFile : IDisposable
{
    private byte[] _buffer;

    private ProcFile(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Text => _buffer.AsSpan(0, Length);

    /// <summary>The largest procfs text read (16 MiB: /proc/schedstat of thousands of CPUs is a few MiB).</summary>
    public const int MaxBytes = 16 << 20;

    /// <summary>Reads <paramref name="path"/>: a regular file of at most <see cref="MaxBytes"/> bytes, never blocking on a FIFO.</summary>
    /// <param name="path">The file.</param>
    /// <param name="missing">The failure kind when the file (or its folder) does not exist.</param>
    /// <param name="missingRemedy">What to tell the user when it does not exist.</param>
    /// <param name="file">The file on success.</param>
    public static MetricsFailure? TryRead(string path, MetricsFailureKind missing, string missingRemedy, out ProcFile? file)
    {
        file = null;
        var error = RegularFile.TryReadPooled(path, MaxBytes, out var buffer, out var length);
        if (error is null)
        {
            file = new ProcFile(buffer, length);
            return null;
        }

        return error.Problem switch
        {
            RegularFileProblem.Missing => new MetricsFailure(missing, error.Message, missingRemedy) { File = path },
            RegularFileProblem.AccessDenied => new MetricsFailure(MetricsFailureKind.AccessDenied, error.Message,
                "Run as a user allowed to read it (for another user's process: the same user, or CAP_SYS_PTRACE).") { File = path },
            RegularFileProblem.NotRegular => new MetricsFailure(MetricsFailureKind.ReadFailed, error.Message,
                "Point the collector at procfs (or at recorded copies of its files as regular files).") { File = path },
            RegularFileProblem.TooLarge => new MetricsFailure(MetricsFailureKind.Malformed, error.Message,
                "Point the collector at procfs (or at recorded copies of its files as regular files).") { File = path },
            // Reading a /proc/<pid> file of a process that has just exited fails with ESRCH.
            _ => new MetricsFailure(
                missing == MetricsFailureKind.ProcessGone && error.Message.Contains("No such process", StringComparison.Ordinal) ? MetricsFailureKind.ProcessGone : MetricsFailureKind.ReadFailed,
                error.Message, "Retry; if it persists, check the file by hand.") { File = path },
        };
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
