using System.Buffers;

namespace SchedCP.Repository;

/// <summary>
/// An immutable in-memory BM25 (Okapi, k1 = 1.2, b = 0.75) inverted index over documents given as weighted fields.
/// Thread-safe for concurrent searches once built.
/// </summary>
internal sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private readonly Dictionary<string, (int Doc, int Tf)[]> _postings;
    private readonly int[] _lengths;
    private readonly double _averageLength;

    public Bm25Index(IReadOnlyList<IEnumerable<(string Text, int Weight)>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _lengths = new int[documents.Count];
        var postings = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        for (var doc = 0; doc < documents.Count; doc++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (text, weight) in documents[doc])
            {
                // A field weight counts its terms several times, the usual BM25F simplification.
                foreach (var term in TextTokenizer.Tokenize(text))
                {
                    counts[term] = counts.GetValueOrDefault(term) + weight;
                    _lengths[doc] += weight;
                }
            }

            foreach (var (term, tf) in counts)
            {
                if (!postings.TryGetValue(term, out var list))
                {
                    postings[term] = list = [];
                }

                list.Add((doc, tf));
            }
        }

        _postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _averageLength = _lengths.Length == 0 ? 1 : Math.Max(1, _lengths.Average());
    }

    public int Count => _lengths.Length;

    /// <summary>Scores every document that contains a query term; returns (document, score) best first.</summary>
    public List<(int Doc, double Score)> Search(string query, Func<int, bool> accept, int limit)
    {
        var scores = ArrayPool<double>.Shared.Rent(Math.Max(1, Count));
        var touched = new List<int>();
        try
        {
            foreach (var term in TextTokenizer.Tokenize(query).Distinct(StringComparer.Ordinal))
            {
                if (!_postings.TryGetValue(term, out var postings))
                {
                    continue;
                }

                var idf = Math.Log(1 + ((Count - postings.Length + 0.5) / (postings.Length + 0.5)));
                foreach (var (doc, tf) in postings)
                {
                    if (scores[doc] == 0)
                    {
                        touched.Add(doc);
                    }

                    scores[doc] += idf * tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * _lengths[doc] / _averageLength))));
                }
            }

            // Keep the best `limit` in a min-heap instead of sorting every match.
            var best = new PriorityQueue<int, (double Score, int NegDoc)>(limit);
            foreach (var doc in touched)
            {
                if (!accept(doc))
                {
                    continue;
                }

                var priority = (scores[doc], -doc);
                if (best.Count < limit)
                {
                    best.Enqueue(doc, priority);
                }
                else if (best.TryPeek(out _, out var worst) && priority.CompareTo(worst) > 0)
                {
                    best.DequeueEnqueue(doc, priority);
                }
            }

            var result = new List<(int Doc, double Score)>(best.Count);
            while (best.TryDequeue(out var doc, out var priority))
            {
                result.Add((doc, priority.Score));
            }

            result.Reverse();
            return result;
        }
        finally
        {
            foreach (var doc in touched)
            {
                scores[doc] = 0;
            }

            ArrayPool<double>.Shared.Return(scores);
        }
    }
}
