using System.Security.Cryptography;
using System.Text.Json;

namespace SchedCP.Mcp.Safety;

/// <summary>
/// An append-only JSON-lines file with one line per decision on a mutating tool call (time, call id, caller, tool,
/// arguments and their digest, <c>admitted</c> or <c>refused: reason</c>) and one line per outcome after the call
/// (<c>ok</c> or <c>error: kind</c>), joined by the call id.
/// </summary>
public sealed class JsonLinesAuditLog(string path, TimeProvider time)
{
    private readonly Lock _gate = new();

    /// <summary>The file the log appends to.</summary>
    public string Path => path;

    /// <summary>Appends one decision and flushes it to disk.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="arguments">Its validated arguments.</param>
    /// <param name="decision">What the guard decided: <c>admitted</c> or <c>refused: reason</c>.</param>
    public void Append(string tool, IReadOnlyDictionary<string, object?> arguments, string decision)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var call = AuditedCall.Current;
        var digest = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(arguments)));
        if (call is not null)
        {
            call.ArgumentsSha256 = digest;
            call.Decided = true;
        }

        Write(new AuditEntry(time.GetUtcNow(), call?.Id, call?.Caller ?? AuditCaller.Stdio, tool, arguments, digest, decision, null));
    }

    /// <summary>Appends the outcome of a call whose decision was logged.</summary>
    /// <param name="call">The call.</param>
    /// <param name="outcome"><c>ok</c> or <c>error: kind</c>.</param>
    public void AppendOutcome(AuditedCall call, string outcome)
    {
        ArgumentNullException.ThrowIfNull(call);
        Write(new AuditEntry(time.GetUtcNow(), call.Id, call.Caller, call.Tool, null, call.ArgumentsSha256, "outcome", outcome));
    }

    private void Write(AuditEntry entry)
    {
        var line = JsonSerializer.Serialize(entry);
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
    /// <param name="At">When it was written.</param>
    /// <param name="CallId">The call it belongs to.</param>
    /// <param name="Caller">Who called (transport, remote endpoint, bearer digest).</param>
    /// <param name="Tool">The tool.</param>
    /// <param name="Arguments">Its arguments (decision lines only).</param>
    /// <param name="ArgumentsSha256">The SHA-256 of the arguments' JSON.</param>
    /// <param name="Decision"><c>admitted</c>, <c>refused: reason</c>, or <c>outcome</c> on the line after the call.</param>
    /// <param name="Outcome">On outcome lines: <c>ok</c> or <c>error: kind</c>.</param>
    public sealed record AuditEntry(DateTimeOffset At, string? CallId, AuditCaller Caller, string Tool, IReadOnlyDictionary<string, object?>? Arguments, string? ArgumentsSha256, string Decision, string? Outcome);
}
