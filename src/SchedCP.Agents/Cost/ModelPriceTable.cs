namespace SchedCP.Agents;

/// <summary>
/// Prices per million tokens by model id, for cost accounting when the caller gives no fixed price. A response's
/// model id is matched against the longest listed prefix (case-insensitive), so dated versions
/// (<c>gpt-4o-2024-08-06</c>) find their family. <see cref="Default"/> holds providers' published list prices in US
/// dollars as of 2025; prices change, so a caller that bills should pass its own table.
/// </summary>
public sealed class ModelPriceTable
{
    private readonly KeyValuePair<string, ModelPrice>[] _byPrefix;

    /// <summary>Creates a table.</summary>
    /// <param name="prices">Model id prefixes and their prices.</param>
    public ModelPriceTable(IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _byPrefix = [.. prices.OrderByDescending(p => p.Key.Length)];
    }

    /// <summary>List prices (USD per million input / output tokens) of common hosted models, as published in 2025.</summary>
    public static ModelPriceTable Default { get; } = new(new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o-mini"] = new(0.15m, 0.60m),
        ["gpt-4o"] = new(2.50m, 10m),
        ["gpt-4.1-nano"] = new(0.10m, 0.40m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m),
        ["gpt-4.1"] = new(2m, 8m),
        ["o4-mini"] = new(1.10m, 4.40m),
        ["o3"] = new(2m, 8m),
        ["claude-3-5-haiku"] = new(0.80m, 4m),
        ["claude-3-5-sonnet"] = new(3m, 15m),
        ["claude-3-7-sonnet"] = new(3m, 15m),
        ["claude-sonnet-4"] = new(3m, 15m),
        ["claude-opus-4"] = new(15m, 75m),
        ["gemini-2.5-pro"] = new(1.25m, 10m),
        ["gemini-2.5-flash"] = new(0.30m, 2.50m),
    });

    /// <summary>The price of <paramref name="modelId"/>, or null when no prefix matches (a local model: tokens only).</summary>
    /// <param name="modelId">The response's model id.</param>
    public ModelPrice? Find(string? modelId) =>
        string.IsNullOrEmpty(modelId) ? null
            : _byPrefix.FirstOrDefault(p => modelId.StartsWith(p.Key, StringComparison.OrdinalIgnoreCase)).Value;
}
