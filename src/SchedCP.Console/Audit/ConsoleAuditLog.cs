using System.Text.Json;
using SchedCP.Console.Api;

namespace SchedCP.Console.Audit;

/// <summary>
/// The record of every lifecycle action asked of the console, accepted or not: appended to a JSON-lines file when
/// configured (flushed per entry, so a crash loses nothing decided) and the latest kept in memory for the API.
/// </summary>
public sealed class ConsoleAuditLog : IDisposable
{
    /// <summary>How many entries are kept in memory.</summary>
    public const int Kept = 500;

    private readonly Lock _gate = new();
    private readonly Queue<ConsoleAuditEntry> _recent = new();
    private readonly StreamWriter? _writer;

    /// <summary>Creates the log.</summary>
    /// <param name="path">The JSON-lines file to append to, or null for memory only.</param>
    public ConsoleAuditLog(string? path)
    {
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
    }

    /// <summary>The latest entries, oldest first.</summary>
    public IReadOnlyList<ConsoleAuditEntry> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent];
            }
        }
    }

    /// <summary>Records an entry.</summary>
    /// <param name="entry">The entry.</param>
    public void Append(ConsoleAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _recent.Enqueue(entry);
            if (_recent.Count > Kept)
            {
                _recent.Dequeue();
            }

            _writer?.WriteLine(JsonSerializer.Serialize(entry, ConsoleJson.Options));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer?.Dispose();
}
