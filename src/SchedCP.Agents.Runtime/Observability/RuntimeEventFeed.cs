using System.Threading.Channels;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Observability;

/// <summary>Broadcasts events to live watchers (consoles). A slow watcher loses its oldest events, never blocks the runtime.</summary>
public sealed class RuntimeEventFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<RuntimeEvent>> _watchers = [];
    private readonly int _capacity;
    private bool _completed;

    /// <summary>Creates a stream.</summary>
    /// <param name="capacity">Events buffered per watcher.</param>
    public RuntimeEventFeed(int capacity) => _capacity = capacity;

    /// <summary>Events from now on, until the run ends or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<RuntimeEvent> WatchAsync(CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<RuntimeEvent>(new BoundedChannelOptions(_capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_gate)
        {
            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _watchers.Add(channel);
            }
        }

        return channel.Reader.ReadAllAsync(cancellationToken);
    }

    internal void Publish(RuntimeEvent runtimeEvent)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(runtimeEvent);
            }
        }
    }

    internal void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }
}
