namespace SchedCP.Agents.Runtime.Claims.State;

/// <summary>The rows one operation changed: what a persistent store writes before it commits.</summary>
internal sealed class LockStateChanges
{
    public HashSet<long> WrittenLeases { get; } = [];
    public HashSet<long> DeletedLeases { get; } = [];
    public HashSet<long> WrittenWaiters { get; } = [];
    public HashSet<long> DeletedWaiters { get; } = [];
    public bool Counters { get; private set; }

    public bool IsEmpty => !Counters && WrittenLeases.Count == 0 && DeletedLeases.Count == 0 && WrittenWaiters.Count == 0 && DeletedWaiters.Count == 0;

    public void LeaseWritten(long id) => WrittenLeases.Add(id);

    public void LeaseDeleted(long id)
    {
        WrittenLeases.Remove(id);
        DeletedLeases.Add(id);
    }

    public void WaiterWritten(long seq) => WrittenWaiters.Add(seq);

    public void WaiterDeleted(long seq)
    {
        WrittenWaiters.Remove(seq);
        DeletedWaiters.Add(seq);
    }

    public void CountersWritten() => Counters = true;

    public void Clear()
    {
        WrittenLeases.Clear();
        DeletedLeases.Clear();
        WrittenWaiters.Clear();
        DeletedWaiters.Clear();
        Counters = false;
    }
}
