using Microsoft.Extensions.AI;

namespace SchedCP.Repository.Tests.Search;

public class PolicySearchTests
{
    [Fact]
    public async Task Results_are_summaries_and_details_come_from_GetPolicy()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var top = (await repository.SearchAsync(new PolicySearchQuery("gaming")))[0];
        Assert.True(top.Headline.Length < 400);
        var policy = (await repository.GetPolicyAsync(top.Name)).GetValueOrThrow();
        Assert.Equal(top.ParameterCount, policy.Parameters.Count);
    }

    [Fact]
    public async Task List_returns_every_current_policy_of_the_filtered_kinds_by_name()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var all = await repository.ListAsync();
        Assert.Equal(BuiltInCatalog.Catalog.Policies.Count(p => p.Lifecycle is not (PolicyLifecycle.Rejected or PolicyLifecycle.Deprecated)), all.Count);
        Assert.Equal(all.Select(p => p.Name).Order(StringComparer.Ordinal), all.Select(p => p.Name));
        var own = await repository.ListAsync(new PolicySearchQuery("ignored") { Kinds = [PolicyKind.BpfObject] });
        Assert.Equal(BuiltInCatalog.Catalog.Policies.Where(p => p.Kind == PolicyKind.BpfObject).Select(p => p.Name).Order(StringComparer.Ordinal), own.Select(p => p.Name));
    }

    [Fact]
    public async Task Unknown_policy_is_a_typed_failure()
    {
        using var db = new TemporaryDatabase();
        var result = await db.Repository().GetPolicyAsync("scx_nope");
        Assert.Equal(RepositoryErrorCode.UnknownPolicy, result.Failure!.Kind);
    }

    [Fact]
    public async Task Host_filter_keeps_only_policies_whose_requirements_are_met()
    {
        using var db = new TemporaryDatabase();
        var results = await db.Repository().SearchAsync(new PolicySearchQuery("scheduler baseline fair gaming server") { Limit = 50, Host = PolicyRequirementsContext.Sandbox });
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Contains(r.Kind, new[] { PolicyKind.BpfObject, PolicyKind.KernelExample }));
        Assert.DoesNotContain(results, r => r.Name == "scx_flatcg");
    }

    [Fact]
    public async Task Kind_and_lifecycle_filters_apply()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var objects = await repository.SearchAsync(new PolicySearchQuery("fifo vtime fair baseline") { Kinds = [PolicyKind.BpfObject], Limit = 10 });
        Assert.All(objects, o => Assert.Equal(PolicyKind.BpfObject, o.Kind));
        Assert.Subset(objects.Select(o => o.Name).ToHashSet(), new HashSet<string> { "fifo", "vtime", "fifo_shared", "vtime_percpu_idle" });
        var production = await repository.SearchAsync(new PolicySearchQuery("gaming testing baseline") { Lifecycles = [PolicyLifecycle.Production], Limit = 50 });
        Assert.All(production, p => Assert.Equal(PolicyLifecycle.Production, p.Lifecycle));
    }

    [Fact]
    public async Task Rejected_policies_are_hidden_unless_asked_for()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var promotion = new PolicyPromotion(repository, null, db.Time);
        await promotion.SubmitCandidateAsync(SchedCP.Repository.Tests.Promotion.PromotionTests.Generated("gaming_ljf_v1"), [new VerifierVerdict("static", false, "starves", "", db.Time.GetUtcNow())]);
        Assert.DoesNotContain(await repository.SearchAsync(new PolicySearchQuery("longest job first") { Limit = 50 }), s => s.Name == "gaming_ljf_v1");
        Assert.Contains(await repository.SearchAsync(new PolicySearchQuery("longest job first") { Lifecycles = [PolicyLifecycle.Rejected] }), s => s.Name == "gaming_ljf_v1");
    }

    [Fact]
    public async Task Embeddings_are_fused_with_bm25_when_a_generator_is_supplied()
    {
        using var db = new TemporaryDatabase();
        using var embeddings = new KeywordEmbeddingGenerator();
        var repository = db.Repository(embeddings: embeddings);

        // No word of the query is in any policy text, so only the embedding can find it.
        var results = await repository.SearchAsync(new PolicySearchQuery("esports") { Limit = 3 });
        Assert.Contains(results, r => r.Name is "scx_bpfland" or "scx_lavd" or "scx_cake");
        Assert.True(embeddings.Calls >= 2);
    }

    [Fact]
    public async Task A_failing_embedding_service_degrades_to_bm25()
    {
        using var db = new TemporaryDatabase();
        using var embeddings = new KeywordEmbeddingGenerator { Fail = true };
        var results = await db.Repository(embeddings: embeddings).SearchAsync(new PolicySearchQuery("gaming"));
        Assert.NotEmpty(results);
    }

    /// <summary>A deterministic stand-in for an embedding model: one dimension per concept, with "esports" mapped onto gaming.</summary>
    private sealed class KeywordEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private static readonly string[][] Concepts = [["gaming", "game", "esports"], ["server", "datacenter"], ["audio", "multimedia"], ["fifo", "baseline"]];

        public int Calls { get; private set; }

        public bool Fail { get; init; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            if (Fail)
            {
                throw new HttpRequestException("embedding service unavailable");
            }

            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var v in values)
            {
                var lower = v.ToLowerInvariant();
                result.Add(new Embedding<float>(Concepts.Select(c => (float)c.Count(w => lower.Contains(w, StringComparison.Ordinal))).Append(0.01f).ToArray()));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
