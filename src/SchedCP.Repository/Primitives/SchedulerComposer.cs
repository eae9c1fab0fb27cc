using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// Assembles a complete sched_ext scheduler from code primitives: the prologue, then one primitive per
/// <see cref="PrimitiveCategory"/> in category order (whatever order they were named in), then the ops header that
/// wires the primitives' hooks into <c>sched_ext_ops</c>. The BPF snippets are embedded in this assembly, so the same
/// names always give the same source. Thread-safe.
/// </summary>
public sealed partial class SchedulerComposer
{
    private const string ResourcePrefix = "SchedCP.Repository.Primitives.";
    private const string RecipePrefix = "SchedCP.Repository.Templates.";
    private const string PrologueFile = "prologue.bpf.h";
    private const string OpsFile = "ops.bpf.h";

    private static readonly ConcurrentDictionary<string, string?> Snippets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CodePrimitive> _primitives;

    /// <summary>Creates a composer over the built-in catalog's primitives.</summary>
    public SchedulerComposer()
        : this(BuiltInCatalog.Catalog.Primitives)
    {
    }

    /// <summary>Creates a composer over the given primitives.</summary>
    /// <param name="primitives">The primitives that may be named; their snippets must be embedded in this assembly.</param>
    public SchedulerComposer(IEnumerable<CodePrimitive> primitives)
    {
        ArgumentNullException.ThrowIfNull(primitives);
        _primitives = primitives.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>Whether the primitive has a BPF snippet and can be named in <see cref="Compose"/>.</summary>
    /// <param name="primitive">The primitive.</param>
    /// <returns><see langword="true"/> when its snippet is embedded.</returns>
    public static bool IsComposable(CodePrimitive primitive)
    {
        ArgumentNullException.ThrowIfNull(primitive);
        return ReadSnippet(Path.GetFileName(primitive.SnippetPath)) is not null;
    }

    /// <summary>Assembles a scheduler from one primitive of each category.</summary>
    /// <param name="opsName">The ops name the scheduler attaches under (snake_case, at most 64 characters).</param>
    /// <param name="primitiveNames">The primitives, one per category, in any order.</param>
    /// <returns>The composed scheduler, or an error naming the primitive or category at fault and what to do.</returns>
    public Outcome<ComposedScheduler, RepositoryError> Compose(string opsName, IEnumerable<string> primitiveNames)
    {
        ArgumentNullException.ThrowIfNull(primitiveNames);
        if (!PolicyName.IsValid(opsName))
        {
            return new RepositoryError(RepositoryErrorCode.InvalidPolicy,
                $"ops name '{opsName}' is not valid; use snake_case starting with a letter, at most 64 characters (for example schedcp_my_fifo).");
        }

        var chosen = new SortedDictionary<PrimitiveCategory, CodePrimitive>();
        foreach (var name in primitiveNames.Distinct(StringComparer.Ordinal))
        {
            if (!_primitives.TryGetValue(name ?? "", out var primitive))
            {
                return new RepositoryError(RepositoryErrorCode.UnknownPrimitive,
                    $"no primitive is named '{name}'; choose from: {string.Join(", ", ComposableNames())}.");
            }

            if (!IsComposable(primitive))
            {
                return new RepositoryError(RepositoryErrorCode.PrimitiveNotComposable,
                    $"primitive '{name}' describes part of an existing scheduler and has no BPF snippet; choose a {primitive.Category} primitive from: {string.Join(", ", ComposableNames(primitive.Category))}.");
            }

            if (chosen.TryGetValue(primitive.Category, out var other))
            {
                return new RepositoryError(RepositoryErrorCode.ConflictingPrimitives,
                    $"'{other.Name}' and '{name}' are both {primitive.Category} primitives and a scheduler takes exactly one; keep one of them.");
            }

            chosen.Add(primitive.Category, primitive);
        }

        foreach (var category in Enum.GetValues<PrimitiveCategory>())
        {
            if (!chosen.ContainsKey(category))
            {
                return new RepositoryError(RepositoryErrorCode.MissingPrimitive,
                    $"no {category} primitive was named and every scheduler needs one; add one of: {string.Join(", ", ComposableNames(category))}.");
            }
        }

        var names = chosen.Values.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var primitive in chosen.Values)
        {
            if (primitive.Requires.FirstOrDefault(r => !names.Contains(r)) is { } missing)
            {
                return new RepositoryError(RepositoryErrorCode.MissingPrimitive,
                    $"primitive '{primitive.Name}' requires '{missing}'; add it in place of the other {_primitives.GetValueOrDefault(missing)?.Category} primitive.");
            }
        }

        var parameters = new List<ParameterSchema>();
        var declaredBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var primitive in chosen.Values)
        {
            foreach (var parameter in primitive.Parameters)
            {
                var variable = parameter.Rodata ?? parameter.Name;
                if (!declaredBy.TryAdd(variable, primitive.Name))
                {
                    return new RepositoryError(RepositoryErrorCode.ConflictingPrimitives,
                        $"'{declaredBy[variable]}' and '{primitive.Name}' both declare the .rodata variable '{variable}'; replace one of them.");
                }

                parameters.Add(parameter);
            }
        }

        var source = new StringBuilder();
        source.Append("// SPDX-License-Identifier: GPL-2.0\n/*\n")
            .Append(" * ").Append(opsName).Append(": composed from code primitives by SchedulerComposer; recompose, do not edit.\n *\n");
        foreach (var primitive in chosen.Values)
        {
            source.Append(" *   ").Append(primitive.Name).Append(" (").Append(primitive.Category).Append(")\n");
        }

        source.Append(" */\n\n").Append(RequireSnippet(PrologueFile));
        foreach (var primitive in chosen.Values)
        {
            source.Append('\n').Append(RequireSnippet(Path.GetFileName(primitive.SnippetPath)));
        }

        source.Append("\n#define SCHED_NAME \"").Append(opsName).Append("\"\n\n").Append(RequireSnippet(OpsFile));
        return new ComposedScheduler(opsName!, [.. chosen.Values], source.ToString(), parameters);
    }

    /// <summary>
    /// Composes a template from its recipe (<c>bpf/templates/*.bpf.c</c>), the file clang compiles with
    /// <c>-I bpf/primitives</c>: comments, <c>#include "prologue.bpf.h"</c>, one primitive's include per category in
    /// category order, <c>#define SCHED_NAME "ops name"</c>, <c>#include "ops.bpf.h"</c>, and nothing else, so that
    /// clang's composition and this one differ only in comments.
    /// </summary>
    /// <param name="recipe">The recipe's text.</param>
    /// <returns>The composition of its primitives under its ops name, or what is wrong with the recipe.</returns>
    internal Outcome<ComposedScheduler, RepositoryError> ComposeRecipe(string recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var lines = RecipeCommentRegex().Replace(recipe.ReplaceLineEndings("\n"), "").Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var includes = lines.Select(l => RecipeIncludeRegex().Match(l)).ToList();
        var opsName = lines.Count >= 3 ? RecipeOpsNameRegex().Match(lines[^2]) : Match.Empty;
        if (lines.Count < 3 || includes[0].Groups[1].Value != PrologueFile || includes[^1].Groups[1].Value != OpsFile || !opsName.Success
            || includes.Take(lines.Count - 2).Any(m => !m.Success))
        {
            return new RepositoryError(RepositoryErrorCode.InvalidPolicy,
                $"a template recipe is #include \"{PrologueFile}\", one primitive's #include per category, #define SCHED_NAME \"<ops name>\", #include \"{OpsFile}\" and comments; found: {string.Join(" | ", lines)}.");
        }

        var files = includes.Skip(1).Take(lines.Count - 3).Select(m => m.Groups[1].Value).ToList();
        var names = files.Select(f => _primitives.Values.FirstOrDefault(p => Path.GetFileName(p.SnippetPath) == f)?.Name ?? f[..^".bpf.h".Length]);
        var composed = Compose(opsName.Groups[1].Value, names);
        if (composed.Succeeded && !composed.Value!.Primitives.Select(p => Path.GetFileName(p.SnippetPath)).SequenceEqual(files, StringComparer.Ordinal))
        {
            return new RepositoryError(RepositoryErrorCode.InvalidPolicy,
                $"the recipe includes {string.Join(", ", files)}; clang composes in include order, so list them in category order: {string.Join(", ", composed.Value.Primitives.Select(p => Path.GetFileName(p.SnippetPath)))}.");
        }

        return composed;
    }

    private IEnumerable<string> ComposableNames(PrimitiveCategory? category = null) =>
        _primitives.Values
            .Where(p => (category is null || p.Category == category) && IsComposable(p))
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal);

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex RecipeCommentRegex();

    [GeneratedRegex(@"\A#\s*include\s+""([a-z0-9_]+\.bpf\.h)""\z", RegexOptions.CultureInvariant)]
    private static partial Regex RecipeIncludeRegex();

    [GeneratedRegex(@"\A#\s*define\s+SCHED_NAME\s+""([^""\\]*)""\z", RegexOptions.CultureInvariant)]
    private static partial Regex RecipeOpsNameRegex();

    private static string RequireSnippet(string file) =>
        ReadSnippet(file) ?? throw new InvalidOperationException($"Embedded snippet {ResourcePrefix}{file} is missing from the assembly.");

    /// <summary>A template's recipe as embedded from <c>bpf/templates</c>, or null when the assembly lacks it.</summary>
    /// <param name="file">The recipe's file name, e.g. <c>ljf.bpf.c</c>.</param>
    internal static string? ReadRecipe(string file) => ReadEmbedded(RecipePrefix + file);

    private static string? ReadSnippet(string file) => Snippets.GetOrAdd(file, static f => ReadEmbedded(ResourcePrefix + f));

    private static string? ReadEmbedded(string resourceName)
    {
        using var stream = typeof(SchedulerComposer).Assembly.GetManifestResourceStream(resourceName);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
