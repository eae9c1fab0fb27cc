using BenchmarkDotNet.Attributes;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Benchmarks;

[MemoryDiagnoser]
public class EventLogBenchmarks
{
    private readonly RuntimeEvent _event = new(1, DateTimeOffset.UnixEpoch, RuntimeEventKinds.ToolCall, "agent-1", "write src/a.cs",
        "{\"path\":\"src/a.cs\",\"fencingToken\":42}", "{\"value\":{\"path\":\"src/a.cs\"}}");
    private string _path = string.Empty;
    private JsonLinesEventLog _file = null!;
    private InMemoryEventLog _memory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"schedcp-bench-{Environment.ProcessId}.jsonl");
        _file = new JsonLinesEventLog(_path);
        _memory = new InMemoryEventLog();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    /// <summary>Append to the JSON-lines file, flushed per event.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public void Append_json_lines_file()
    {
        for (var i = 0; i < 1000; i++)
        {
            _file.Append(_event);
        }
    }

    /// <summary>Append to the in-memory log.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public void Append_in_memory()
    {
        for (var i = 0; i < 1000; i++)
        {
            _memory.Append(_event);
        }
    }
}
