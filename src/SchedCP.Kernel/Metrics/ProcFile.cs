using System.Buffers;

namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Reads a procfs file into a pooled buffer. procfs reports a size of 0, so the file is read until end of file; the
/// buffer grows when the text does not fit. Expected I/O failures become a <see cref="MetricsFailure"/>.
/// </summary>
internal sealed class ProcFile : IDisposable
{
    private const int InitialSize = 4096;
    private byte[] _buffer;

    private ProcFile(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Text => _buffer.AsSpan(0, Length);

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="missing">The failure kind when the file (or its folder) does not exist.</param>
    /// <param name="missingRemedy">What to tell the user when it does not exist.</param>
    /// <param name="file">The file on success.</param>
    public static MetricsFailure? TryRead(string path, MetricsFailureKind missing, string missingRemedy, out ProcFile? file)
    {
        file = null;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, total).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            file = new ProcFile(buffer, total);
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new MetricsFailure(missing, $"{path} does not exist.", missingRemedy) { File = path };
        }
        catch (UnauthorizedAccessException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new MetricsFailure(MetricsFailureKind.AccessDenied, $"{path} may not be read by this user: {e.Message}",
                "Run as a user allowed to read it (for another user's process: the same user, or CAP_SYS_PTRACE).") { File = path };
        }
        catch (IOException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            // Reading a /proc/<pid> file of a process that has just exited fails with ESRCH.
            var kind = missing == MetricsFailureKind.ProcessGone && e.Message.Contains("No such process", StringComparison.Ordinal)
                ? MetricsFailureKind.ProcessGone
                : MetricsFailureKind.ReadFailed;
            return new MetricsFailure(kind, $"Reading {path} failed: {e.Message}", "Retry; if it persists, check the file by hand.") { File = path };
        }
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
