using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

/// <summary>
/// Which model the agents use, from options or the environment. Every provider here speaks the OpenAI chat API:
/// an OpenAI-compatible endpoint, Ollama (its <c>/v1</c> endpoint) or Azure OpenAI (its <c>/openai/v1/</c> endpoint).
/// No model means the offline planner, the embedded default.
/// </summary>
internal sealed record ModelSelection(string Provider, string Model, Uri? Endpoint, string? ApiKey)
{
    public const string Usage = """
          --provider openai|ollama|azure   the model's provider (env SCHEDCP_PROVIDER; default openai when a model is named)
          --model NAME                     the model (env SCHEDCP_MODEL); none: the offline planner
          --endpoint URL                   the API endpoint (env SCHEDCP_ENDPOINT; ollama: http://127.0.0.1:11434/v1)
                                           the key comes from SCHEDCP_API_KEY or OPENAI_API_KEY
        """;

    /// <summary>The selection, null for offline; throws <see cref="ArgumentException"/> saying what is missing.</summary>
    public static ModelSelection? From(string? provider, string? model, string? endpoint)
    {
        provider ??= Environment.GetEnvironmentVariable("SCHEDCP_PROVIDER");
        model ??= Environment.GetEnvironmentVariable("SCHEDCP_MODEL");
        endpoint ??= Environment.GetEnvironmentVariable("SCHEDCP_ENDPOINT");
        var key = Environment.GetEnvironmentVariable("SCHEDCP_API_KEY") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (string.IsNullOrWhiteSpace(model))
        {
            return provider is null && endpoint is null ? null
                : throw new ArgumentException("a provider or endpoint was given without a model: add --model NAME (or SCHEDCP_MODEL)");
        }

        provider = (provider ?? "openai").ToLowerInvariant();
        Uri? uri = null;
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"--endpoint must be an absolute http(s) URL, got '{endpoint}'");
        }

        switch (provider)
        {
            case "ollama":
                return new ModelSelection(provider, model, uri ?? new Uri("http://127.0.0.1:11434/v1"), key ?? "ollama");
            case "azure":
                return uri is null
                    ? throw new ArgumentException("Azure OpenAI needs --endpoint https://<resource>.openai.azure.com/openai/v1/")
                    : new ModelSelection(provider, model, uri, key ?? throw new ArgumentException("Azure OpenAI needs a key in SCHEDCP_API_KEY"));
            case "openai":
                return new ModelSelection(provider, model, uri, key ?? throw new ArgumentException("an OpenAI-compatible endpoint needs a key in SCHEDCP_API_KEY or OPENAI_API_KEY (any text for a local server)"));
            default:
                throw new ArgumentException($"unknown provider '{provider}': use openai, ollama or azure");
        }
    }

    /// <summary>The chat client for this selection.</summary>
    public IChatClient CreateClient()
    {
        var options = new OpenAIClientOptions();
        if (Endpoint is not null)
        {
            options.Endpoint = Endpoint;
        }

        return new OpenAIClient(new ApiKeyCredential(ApiKey!), options).GetChatClient(Model).AsIChatClient();
    }

    public override string ToString() => $"{Provider} model {Model}{(Endpoint is null ? "" : $" at {Endpoint}")}";
}
