using System.Runtime.InteropServices;
using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// Checks a repository database path before SQLite touches it, so a wrong <c>--db</c> is refused with a reason instead
/// of crashing, truncating a device or creating folders: the folder must exist; the path must be missing (a new
/// database is created there), or a regular file that is empty or starts with the 16-byte SQLite header.
/// </summary>
public static partial class DatabaseFile
{
    /// <summary>The first 16 bytes of every SQLite 3 database file.</summary>
    public static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    /// <summary>Checks <paramref name="path"/> without creating or changing anything.</summary>
    /// <param name="path">The database path.</param>
    /// <returns>Success with the full path, or <see cref="RepositoryErrorCode.InvalidDatabase"/> saying what is wrong and what to do.</returns>
    public static Outcome<string, RepositoryError> Check(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            return Refuse("The database path is empty; give the SQLite file to use.");
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return Refuse($"The database path '{full}' is a directory; give a file inside it, for example '{Path.Combine(full, "repository.db")}'.");
        }

        var folder = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return Refuse($"The folder '{folder}' of the database path does not exist; create it first or choose a path in an existing folder.");
        }

        var kind = KindOf(full);
        if (kind == EntryKind.Missing)
        {
            return full;
        }

        if (kind == EntryKind.Other)
        {
            return Refuse($"The database path '{full}' is not a regular file (a device, FIFO or socket); give a regular SQLite file.");
        }

        Span<byte> header = stackalloc byte[16];
        int read;
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refuse($"The database file '{full}' cannot be read ({e.Message}); check its permissions.");
        }

        return read == 0 || (read == header.Length && header.SequenceEqual(SqliteHeader))
            ? full
            : Refuse($"The file '{full}' is not a SQLite database (its first bytes are not \"SQLite format 3\"); give a repository database or a new path.");
    }

    private static Outcome<string, RepositoryError> Refuse(string reason) => new RepositoryError(RepositoryErrorCode.InvalidDatabase, reason);

    private enum EntryKind
    {
        Missing,
        RegularFile,
        Other,
    }

    private static EntryKind KindOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path) ? EntryKind.RegularFile : EntryKind.Missing;
        }

        // statx has one layout on every architecture: stx_mode is the u16 at offset 28.
        var buffer = new byte[256];
        if (Statx(AtFdCwd, System.Text.Encoding.UTF8.GetBytes(path + "\0"), 0, StatxType, buffer) != 0)
        {
            return File.Exists(path) || Directory.Exists(path) ? EntryKind.Other : EntryKind.Missing;
        }

        var mode = BitConverter.ToUInt16(buffer, 28) & 0xF000;
        return mode == 0x8000 ? EntryKind.RegularFile : EntryKind.Other;
    }

    private const int AtFdCwd = -100;
    private const uint StatxType = 1;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, byte[] path, int flags, uint mask, [Out] byte[] buffer);
}
