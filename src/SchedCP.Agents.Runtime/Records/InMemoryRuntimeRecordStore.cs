namespace SchedCP.Agents.Runtime.Records;

/// <summary>Keeps the records in memory behind one lock; nothing is written anywhere.</summary>
internal sealed class InMemoryRuntimeRecordStore : RuntimeRecordStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string Collection, string Key), string> _documents = new(RecordKeyComparer.Instance);

    internal override string Update(string collection, string key, Func<string?, string> change)
    {
        lock (_gate)
        {
            var document = change(_documents.GetValueOrDefault((collection, key)));
            _documents[(collection, key)] = document;
            return document;
        }
    }

    internal override string? Get(string collection, string key)
    {
        lock (_gate)
        {
            return _documents.GetValueOrDefault((collection, key));
        }
    }

    internal override IReadOnlyList<string> List(string collection)
    {
        lock (_gate)
        {
            return [.. _documents.Where(d => d.Key.Collection == collection).Select(d => d.Value)];
        }
    }

    private sealed class RecordKeyComparer : IComparer<(string Collection, string Key)>
    {
        public static readonly RecordKeyComparer Instance = new();

        public int Compare((string Collection, string Key) x, (string Collection, string Key) y)
        {
            var collection = string.CompareOrdinal(x.Collection, y.Collection);
            return collection != 0 ? collection : string.CompareOrdinal(x.Key, y.Key);
        }
    }
}
