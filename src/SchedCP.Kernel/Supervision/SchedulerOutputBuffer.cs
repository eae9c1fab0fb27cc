using SchedCP.Kernel.Loader;

namespace SchedCP.Kernel.Supervision;

/// <summary>The last N lines of a scheduler's output, plus the loader events parsed from it. Thread-safe.</summary>
internal sealed class SchedulerOutputBuffer(int capacity, bool parseLoaderEvents)
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();
    private readonly List<LoaderEvent> _events = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return _lines.ToArray();
            }
        }
    }

    public IReadOnlyList<LoaderEvent> LoaderEvents
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    public string Text => string.Join('\n', Lines);

    public void Add(string line)
    {
        var parsed = parseLoaderEvents && line.StartsWith('{') ? LoaderEvent.Parse(line) : null;
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }

            // Events are few and small except logs; keep them all so exit info is never dropped with old lines.
            if (parsed is not null and not UnrecognisedLoaderOutput)
            {
                _events.Add(parsed);
            }
        }
    }
}
