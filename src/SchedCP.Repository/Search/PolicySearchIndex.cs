using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace SchedCP.Repository;

/// <summary>
/// Hybrid search over one generation of the stored policies: BM25 over the text fields and, when an embedding generator
/// is supplied, cosine similarity of embeddings, fused by reciprocal rank.
/// </summary>
internal sealed class PolicySearchIndex
{
    private const int CandidatePool = 50;
    private readonly SchedulerPolicy[] _policies;
    private readonly Bm25Index _bm25;
    private readonly string[] _embeddingTexts;
    private readonly ConcurrentDictionary<(string Kinds, string Lifecycles, PolicyRequirementsContext? Host), bool[]> _filterMasks = new();

    public PolicySearchIndex(long generation, IReadOnlyList<SchedulerPolicy> policies)
    {
        Generation = generation;
        _policies = [.. policies];
        _bm25 = new Bm25Index(_policies.Select(Fields).ToList());
        _embeddingTexts = _policies.Select(EmbeddingText).ToArray();
    }

    public long Generation { get; }

    public int Count => _policies.Length;

    public IReadOnlyList<PolicySummary> List(PolicySearchQuery filter) =>
        _policies.Where(filter.Accepts).OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.ToSummary()).ToArray();

    public async Task<IReadOnlyList<PolicySummary>> SearchAsync(
        PolicySearchQuery query,
        int limit,
        int fusionK,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings,
        ConcurrentDictionary<string, ReadOnlyMemory<float>> embeddingCache,
        CancellationToken cancellationToken)
    {
        var mask = FilterMask(query);
        bool Accept(int doc) => mask[doc];
        var pool = Math.Max(limit, CandidatePool);
        var lexical = _bm25.Search(query.Text, Accept, pool);

        if (embeddings is null || string.IsNullOrWhiteSpace(query.Text))
        {
            return lexical.Take(limit).Select(h => _policies[h.Doc].ToSummary(h.Score)).ToList();
        }

        var semantic = await SemanticAsync(query.Text, Accept, pool, embeddings, embeddingCache, cancellationToken).ConfigureAwait(false);
        var fused = new Dictionary<int, double>();
        for (var rank = 0; rank < lexical.Count; rank++)
        {
            fused[lexical[rank].Doc] = fused.GetValueOrDefault(lexical[rank].Doc) + (1.0 / (fusionK + rank + 1));
        }

        for (var rank = 0; rank < semantic.Count; rank++)
        {
            fused[semantic[rank]] = fused.GetValueOrDefault(semantic[rank]) + (1.0 / (fusionK + rank + 1));
        }

        return fused.OrderByDescending(f => f.Value).ThenBy(f => f.Key).Take(limit)
            .Select(f => _policies[f.Key].ToSummary(f.Value)).ToList();
    }

    /// <summary>
    /// Which policies pass the query's filters, computed once per distinct filter and index generation: checking host
    /// requirements for thousands of candidates on every search would cost milliseconds.
    /// </summary>
    private bool[] FilterMask(PolicySearchQuery query)
    {
        var key = (
            query.Kinds is null ? "" : string.Join(",", query.Kinds.Order()),
            query.Lifecycles is null ? "" : string.Join(",", query.Lifecycles.Order()),
            query.Host);
        if (_filterMasks.TryGetValue(key, out var mask))
        {
            return mask;
        }

        if (_filterMasks.Count > 64)
        {
            _filterMasks.Clear();
        }

        mask = new bool[_policies.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = query.Accepts(_policies[i]);
        }

        _filterMasks[key] = mask;
        return mask;
    }

    private async Task<List<int>> SemanticAsync(
        string text,
        Func<int, bool> accept,
        int pool,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        ConcurrentDictionary<string, ReadOnlyMemory<float>> cache,
        CancellationToken cancellationToken)
    {
        // Policy vectors are cached by the hash of the text embedded, so a changed description is embedded again.
        var keys = _embeddingTexts.Select(ContentHash.Of).ToArray();
        var missing = Enumerable.Range(0, _policies.Length).Where(i => !cache.ContainsKey(keys[i])).ToList();
        if (missing.Count > 0)
        {
            var generated = await generator.GenerateAsync(missing.Select(i => _embeddingTexts[i]), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < missing.Count && j < generated.Count; j++)
            {
                cache[keys[missing[j]]] = generated[j].Vector;
            }
        }

        var queryVector = (await generator.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        var scored = new List<(int Doc, float Score)>();
        for (var i = 0; i < _policies.Length; i++)
        {
            if (accept(i) && cache.TryGetValue(keys[i], out var vector) && vector.Length == queryVector.Length)
            {
                scored.Add((i, Cosine(queryVector.Span, vector.Span)));
            }
        }

        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Doc).Take(pool).Select(s => s.Doc).ToList();
    }

    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : (float)(dot / Math.Sqrt(na * nb));
    }

    private static IEnumerable<(string Text, int Weight)> Fields(SchedulerPolicy p)
    {
        yield return (p.Name.Replace('_', ' '), 3);
        yield return (string.Join(' ', p.UseCases).Replace('_', ' '), 2);
        yield return (string.Join(". ", p.TargetWorkloads), 2);
        yield return (p.Algorithm, 1);
        yield return (string.Join(". ", p.Characteristics), 1);
        yield return (p.Description, 1);

        // Mode presets say what a policy can be tuned for ("power save", "low latency").
        yield return (string.Join(". ", p.Presets.Select(m => ModeWords(m.Mode))), 1);
    }

    private static string ModeWords(SchedulerMode mode) => mode switch
    {
        SchedulerMode.PowerSave => "power save",
        SchedulerMode.LowLatency => "low latency",
        _ => mode.ToString().ToLowerInvariant(),
    };

    private static string EmbeddingText(SchedulerPolicy p) =>
        $"{p.Name}: {p.Description} Algorithm: {p.Algorithm}. Workloads: {string.Join(", ", p.TargetWorkloads)}. Use cases: {string.Join(", ", p.UseCases)}.";
}
