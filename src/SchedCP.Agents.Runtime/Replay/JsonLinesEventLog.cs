using System.Text;
using System.Text.Json;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Replay;

/// <summary>An event log in a file, one JSON object per line, appended and flushed per event.</summary>
public sealed class JsonLinesEventLog : IEventLog, IDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly List<RuntimeEvent> _events = [];

    /// <summary>Opens (creating or appending to) the file.</summary>
    /// <param name="path">The file path.</param>
    public JsonLinesEventLog(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Reads a log file written by this class.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The events, or <see cref="RuntimeErrorCode.InvalidInput"/> naming the bad line.</returns>
    public static Outcome<IReadOnlyList<RuntimeEvent>, RuntimeError> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new RuntimeError(RuntimeErrorCode.NotFound, $"Event log '{path}' does not exist.");
        }

        var events = new List<RuntimeEvent>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                events.Add(JsonSerializer.Deserialize<RuntimeEvent>(line, Json)!);
            }
            catch (JsonException ex)
            {
                return new RuntimeError(RuntimeErrorCode.InvalidInput, $"Event log '{path}' line {number} is not an event: {ex.Message}");
            }
        }

        return events;
    }

    /// <inheritdoc />
    public void Append(RuntimeEvent runtimeEvent)
    {
        var line = JsonSerializer.Serialize(runtimeEvent, Json);
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
            _events.Add(runtimeEvent);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<RuntimeEvent> ReadAll()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
