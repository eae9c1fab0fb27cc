using System.Text.Json;

namespace SchedCP.Repository;

/// <summary>
/// The catalog shipped in this package: the production scx schedulers with their real flags, defaults and scx_loader
/// mode presets, the kernel's sched_ext examples, the project's own BPF-object schedulers, and the code primitives.
/// It is an embedded JSON resource, validated when loaded.
/// </summary>
public static class BuiltInCatalog
{
    private const string ResourceName = "SchedCP.Repository.Catalog.catalog.json";
    private static readonly Lazy<PolicyCatalog> Cached = new(LoadAndValidate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The validated built-in catalog.</summary>
    /// <exception cref="InvalidOperationException">The embedded catalog is invalid (a packaging bug).</exception>
    public static PolicyCatalog Catalog => Cached.Value;

    /// <summary>Reads a catalog document without validating it.</summary>
    /// <param name="utf8Json">The JSON document.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="JsonException">The document does not have the catalog's shape.</exception>
    public static PolicyCatalog Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<PolicyCatalog>(utf8Json, RepositoryJson.Options) ?? throw new JsonException("The catalog document is null.");

    /// <summary>The embedded catalog document as UTF-8 JSON.</summary>
    /// <returns>The bytes.</returns>
    public static byte[] ReadDocument()
    {
        using var stream = typeof(BuiltInCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static PolicyCatalog LoadAndValidate()
    {
        var catalog = Parse(ReadDocument());
        var issues = CatalogValidator.Validate(catalog);
        if (issues.Count > 0)
        {
            throw new InvalidOperationException("The built-in catalog is invalid: " + string.Join("; ", issues));
        }

        return catalog;
    }
}
