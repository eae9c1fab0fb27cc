using System.Text.Json;

namespace SchedCP.Repository;

/// <summary>
/// The catalog shipped in this package: the production scx schedulers with their real flags, defaults and scx_loader
/// mode presets, the kernel's sched_ext examples, the project's own BPF-object schedulers, the templates composed from
/// code primitives, and the primitives. It is an embedded JSON resource, validated when loaded. A template's entry names
/// its recipe (<c>bpf/templates/*.bpf.c</c>, also embedded); its ops name, primitives, parameters and complete source
/// are the recipe's composition by <see cref="SchedulerComposer"/>, filled in when the catalog is loaded.
/// </summary>
public static class BuiltInCatalog
{
    private const string ResourceName = "SchedCP.Repository.Catalog.catalog.json";
    private const string TemplateFolder = "bpf/templates/";
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
        var issues = new List<CatalogIssue>();
        var catalog = ComposeTemplates(Parse(ReadDocument()), issues);
        issues.AddRange(CatalogValidator.Validate(catalog));
        if (issues.Count > 0)
        {
            throw new InvalidOperationException("The built-in catalog is invalid: " + string.Join("; ", issues));
        }

        return catalog;
    }

    /// <summary>Completes each template entry from its recipe, so its primitives, ops name and parameters are stated once, in the recipe clang also compiles.</summary>
    private static PolicyCatalog ComposeTemplates(PolicyCatalog catalog, List<CatalogIssue> issues)
    {
        var composer = new SchedulerComposer(catalog.Primitives);
        return catalog with
        {
            Policies = [.. catalog.Policies.Select(p => p.Source?.RelativePath?.StartsWith(TemplateFolder, StringComparison.Ordinal) == true ? ComposeTemplate(p, composer, issues) : p)],
        };
    }

    private static SchedulerPolicy ComposeTemplate(SchedulerPolicy template, SchedulerComposer composer, List<CatalogIssue> issues)
    {
        var path = template.Source!.RelativePath!;
        if (template.OpsName is not null || template.Primitives.Count > 0 || template.Parameters.Count > 0 || template.Source.Content is not null)
        {
            issues.Add(new($"{template.Name}.source", $"is the recipe {path}, which states the ops name, primitives, parameters and source; remove them from the catalog entry"));
            return template;
        }

        if (SchedulerComposer.ReadRecipe(path[TemplateFolder.Length..]) is not { } recipe)
        {
            issues.Add(new($"{template.Name}.source", $"{path} is not embedded in the assembly (a packaging bug)"));
            return template;
        }

        var composed = composer.ComposeRecipe(recipe);
        if (!composed.Succeeded)
        {
            issues.Add(new($"{template.Name}.source", $"{path}: {composed.Failure!.Message}"));
            return template;
        }

        return template with
        {
            OpsName = composed.Value!.OpsName,
            Primitives = [.. composed.Value.Primitives.Select(p => p.Name)],
            Parameters = composed.Value.Parameters,
            Source = PolicyArtifact.FromText(composed.Value.Source, path),
        };
    }
}
