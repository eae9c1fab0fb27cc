using System.Diagnostics.CodeAnalysis;
using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Analysis;

/// <summary>Why a workload file was not returned.</summary>
internal enum FileAccessFailureKind
{
    /// <summary>The path (after following symbolic links) leaves the declared root.</summary>
    OutsideRoot,

    /// <summary>No such file.</summary>
    NotFound,

    /// <summary>The file exists but cannot be read.</summary>
    Unreadable,
}

/// <summary>An expected failure of <see cref="WorkloadFileAccess"/>, with what to do about it.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">What happened.</param>
/// <param name="Remedy">What to do.</param>
internal sealed record FileAccessFailure(FileAccessFailureKind Kind, string Message, string Remedy) : Failure<FileAccessFailureKind>(Kind, Message, Remedy);

/// <summary>A file's text as returned to an agent: possibly cut at the byte cap.</summary>
/// <param name="RelativePath">The path relative to the root.</param>
/// <param name="Text">The text (UTF-8, invalid bytes replaced).</param>
/// <param name="Truncated">True when the file is longer than the cap.</param>
/// <param name="Length">The file's full length in bytes.</param>
internal sealed record WorkloadFileText(string RelativePath, string Text, bool Truncated, long Length);

/// <summary>
/// Read-only access for an agent to a workload's files (build files, configuration), confined to a declared root:
/// every path is resolved with its symbolic links followed, and anything that ends outside the root is refused with a
/// typed failure. At most <see cref="MaxBytes"/> bytes are returned per read.
/// </summary>
internal sealed class WorkloadFileAccess
{
    private readonly string _root;

    /// <summary>Creates access confined to <paramref name="root"/>.</summary>
    /// <param name="root">The workload's folder; its own links are resolved once.</param>
    /// <param name="maxBytes">Cap on bytes returned per read (default 64 KiB).</param>
    public WorkloadFileAccess(string root, int maxBytes = 64 * 1024)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _root = Resolve(Path.GetFullPath(root)).TrimEnd('/');
        MaxBytes = maxBytes;
    }

    /// <summary>The resolved root.</summary>
    public string Root => _root;

    /// <summary>The cap on bytes returned per read.</summary>
    public int MaxBytes { get; }

    /// <summary>Reads a file under the root.</summary>
    /// <param name="relativePath">A path relative to the root.</param>
    /// <param name="text">The text.</param>
    /// <param name="failure">Why it was refused.</param>
    public bool TryRead(string relativePath, [NotNullWhen(true)] out WorkloadFileText? text, [NotNullWhen(false)] out FileAccessFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        text = null;
        if (!TryConfine(relativePath, out var full, out failure))
        {
            return false;
        }

        if (!File.Exists(full))
        {
            failure = new FileAccessFailure(FileAccessFailureKind.NotFound, $"'{relativePath}' does not exist under the workload root.", "List the folder to see what is there.");
            return false;
        }

        try
        {
            using var stream = File.OpenRead(full);
            var buffer = new byte[(int)Math.Min(MaxBytes, stream.Length)];
            stream.ReadExactly(buffer);
            text = new WorkloadFileText(relativePath, Encoding.UTF8.GetString(buffer), stream.Length > MaxBytes, stream.Length);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = new FileAccessFailure(FileAccessFailureKind.Unreadable, $"'{relativePath}' cannot be read: {e.Message}", "Check its permissions.");
            return false;
        }
    }

    /// <summary>Lists the entries of a folder under the root (names relative to the root; folders end in '/').</summary>
    /// <param name="relativePath">A folder relative to the root; empty for the root.</param>
    /// <param name="entries">The entries.</param>
    /// <param name="failure">Why it was refused.</param>
    public bool TryList(string relativePath, [NotNullWhen(true)] out IReadOnlyList<string>? entries, [NotNullWhen(false)] out FileAccessFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        entries = null;
        if (!TryConfine(relativePath, out var full, out failure))
        {
            return false;
        }

        if (!Directory.Exists(full))
        {
            failure = new FileAccessFailure(FileAccessFailureKind.NotFound, $"'{relativePath}' is not a folder under the workload root.", "List the root first.");
            return false;
        }

        entries = Directory.GetFileSystemEntries(full)
            .Select(e => Path.GetRelativePath(_root, e) + (Directory.Exists(e) ? "/" : ""))
            .Order(StringComparer.Ordinal).ToArray();
        return true;
    }

    private bool TryConfine(string relativePath, [NotNullWhen(true)] out string? full, [NotNullWhen(false)] out FileAccessFailure? failure)
    {
        full = Resolve(Path.GetFullPath(Path.Combine(_root, relativePath)));
        if (full != _root && !full.StartsWith(_root + "/", StringComparison.Ordinal))
        {
            failure = new FileAccessFailure(FileAccessFailureKind.OutsideRoot,
                $"'{relativePath}' resolves outside the workload root '{_root}'.", "Only files under the declared root can be read; declare a wider root if needed.");
            full = null;
            return false;
        }

        failure = null;
        return true;
    }

    /// <summary>Follows symbolic links component by component, as the kernel would.</summary>
    private static string Resolve(string path)
    {
        var result = "/";
        var parts = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        for (var hops = 0; parts.TryDequeue(out var part);)
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                result = Path.GetDirectoryName(result) ?? "/";
                continue;
            }

            var next = Path.Combine(result, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target && hops++ < 40)
            {
                var rest = parts.ToArray();
                parts = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                if (target.StartsWith('/'))
                {
                    result = "/";
                }

                continue;
            }

            result = next;
        }

        return result;
    }
}
