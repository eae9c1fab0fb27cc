using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SchedCP.Repository;

/// <summary>Further configuration of the repository after <c>AddSchedCPRepository</c>.</summary>
public sealed class SchedCPRepositoryBuilder
{
    internal SchedCPRepositoryBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers the verifier's receipt validator, without which nothing is promoted to production.</summary>
    /// <typeparam name="TValidator">The validator type.</typeparam>
    /// <returns>This builder.</returns>
    public SchedCPRepositoryBuilder WithDeploymentReceiptValidator<TValidator>()
        where TValidator : class, IDeploymentReceiptValidator
    {
        Services.Replace(ServiceDescriptor.Singleton<IDeploymentReceiptValidator, TValidator>());
        return this;
    }

    /// <summary>Adds embeddings to search (fused with BM25 by reciprocal rank).</summary>
    /// <param name="factory">Creates the generator.</param>
    /// <returns>This builder.</returns>
    public SchedCPRepositoryBuilder WithEmbeddingGenerator(Func<IServiceProvider, IEmbeddingGenerator<string, Embedding<float>>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Replaces the SQLite store (for example with a server database).</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <returns>This builder.</returns>
    public SchedCPRepositoryBuilder WithStore<TStore>()
        where TStore : class, IPolicyStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IPolicyStore, TStore>());
        return this;
    }
}
