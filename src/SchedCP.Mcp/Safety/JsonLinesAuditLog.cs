using System.Text.Json;

namespace SchedCP.Mcp.Safety;

/// <summary>An append-only JSON-lines file with one line per mutating tool call: time, tool, arguments and decision.</summary>
public sealed class JsonLinesAuditLog(string path, TimeProvider time)
{
    private readonly Lock _gate = new();

    /// <summary>The file the log appends to.</summary>
    public string Path => path;

    /// <summary>Appends one entry and flushes it to disk.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="arguments">Its validated arguments.</param>
    /// <param name="decision">What the guard decided.</param>
    public void Append(string tool, IReadOnlyDictionary<string, object?> arguments, string decision)
    {
        var line = JsonSerializer.Serialize(new AuditEntry(time.GetUtcNow(), tool, arguments, decision));
        lock (_gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(line);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>One audit line.</summary>
    /// <param name="At">When the call arrived.</param>
    /// <param name="Tool">The tool.</param>
    /// <param name="Arguments">Its arguments.</param>
    /// <param name="Decision">What the guard decided.</param>
    public sealed record AuditEntry(DateTimeOffset At, string Tool, IReadOnlyDictionary<string, object?> Arguments, string Decision);
}
