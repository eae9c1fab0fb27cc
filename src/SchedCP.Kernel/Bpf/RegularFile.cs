using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SchedCP.Kernel.Bpf;

/// <summary>Why <see cref="RegularFile"/> read nothing.</summary>
internal enum RegularFileProblem
{
    Missing,
    AccessDenied,
    NotRegular,
    TooLarge,
    ReadFailed,
}

/// <summary>What went wrong reading a file, in a sentence that names it.</summary>
internal sealed record RegularFileError(RegularFileProblem Problem, string Message);

/// <summary>
/// Reads files that hold untrusted bytes, bounded: the path is opened non-blocking (a FIFO cannot stall the reader),
/// the opened descriptor must be a regular file (not a device such as <c>/dev/zero</c>, a FIFO, a socket or a
/// directory; symlinks are followed and judged by their target), and at most a cap of bytes is read, whatever size
/// the file reports (procfs reports 0).
/// </summary>
internal static partial class RegularFile
{
    private const int OpenReadOnlyNonBlocking = 0x800 | 0x100 | 0x80000; // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
    private const int AtEmptyPath = 0x1000;
    private const uint StatxTypeAndSize = 0x1 | 0x200;
    private const ushort TypeMask = 0xf000;
    private const ushort TypeRegular = 0x8000;
    private const int InitialBuffer = 4096;

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/> bytes into a new array.</summary>
    public static RegularFileError? TryReadAll(string path, int maxBytes, out byte[] bytes)
    {
        bytes = [];
        var error = TryReadPooled(path, maxBytes, out var rented, out var length);
        if (error is not null)
        {
            return error;
        }

        bytes = rented.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(rented);
        return null;
    }

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/> bytes into a buffer rented from the shared pool; the caller returns it.</summary>
    public static RegularFileError? TryReadPooled(string path, int maxBytes, out byte[] buffer, out int length)
    {
        ArgumentNullException.ThrowIfNull(path);
        buffer = [];
        length = 0;
        var fd = Open(path, OpenReadOnlyNonBlocking);
        if (fd < 0)
        {
            return FromErrno(path, Marshal.GetLastPInvokeError());
        }

        using var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        if (Statx(fd, "", AtEmptyPath, StatxTypeAndSize, out var status) != 0)
        {
            return FromErrno(path, Marshal.GetLastPInvokeError());
        }

        if ((status.Mode & TypeMask) != TypeRegular)
        {
            return new RegularFileError(RegularFileProblem.NotRegular, $"{path} is {Describe(status.Mode)}, not a regular file.");
        }

        if (status.Size > (ulong)maxBytes)
        {
            return new RegularFileError(RegularFileProblem.TooLarge, $"{path} has {status.Size} bytes; at most {maxBytes} are read.");
        }

        // One byte more than the cap tells a file that grew (or a procfs file of size 0) past it.
        var limit = maxBytes + 1;
        var rented = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, status.Size > 0 ? (long)status.Size + 1 : InitialBuffer));
        try
        {
            var total = 0;
            while (true)
            {
                if (total == rented.Length)
                {
                    if (rented.Length >= limit)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                        return new RegularFileError(RegularFileProblem.TooLarge, $"{path} has more than {maxBytes} bytes; at most {maxBytes} are read.");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, (long)rented.Length * 2));
                    rented.AsSpan(0, total).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = bigger;
                }

                var read = RandomAccess.Read(handle, rented.AsSpan(total, Math.Min(rented.Length, limit) - total), total);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                    return new RegularFileError(RegularFileProblem.TooLarge, $"{path} has more than {maxBytes} bytes; at most {maxBytes} are read.");
                }
            }

            buffer = rented;
            length = total;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            ArrayPool<byte>.Shared.Return(rented);
            var problem = e is UnauthorizedAccessException ? RegularFileProblem.AccessDenied : RegularFileProblem.ReadFailed;
            return new RegularFileError(problem, $"Reading {path} failed: {e.Message}");
        }
    }

    private static RegularFileError FromErrno(string path, int errno) => errno switch
    {
        2 or 20 => new RegularFileError(RegularFileProblem.Missing, $"{path} does not exist."), // ENOENT, ENOTDIR
        1 or 13 => new RegularFileError(RegularFileProblem.AccessDenied, $"{path} may not be read by this user: {Marshal.GetPInvokeErrorMessage(errno)}."), // EPERM, EACCES
        6 => new RegularFileError(RegularFileProblem.NotRegular, $"{path} is a FIFO or device without a peer, not a regular file."), // ENXIO
        _ => new RegularFileError(RegularFileProblem.ReadFailed, $"Opening {path} failed: {Marshal.GetPInvokeErrorMessage(errno)}."),
    };

    private static string Describe(ushort mode) => (mode & TypeMask) switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xc000 => "a socket",
        _ => $"of file type 0x{mode & TypeMask:x4}",
    };

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer buffer);

    // struct statx (include/uapi/linux/stat.h) has the same layout on every architecture.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }
}
