using System.Text.RegularExpressions;

namespace SchedCP.Repository;

/// <summary>
/// Checks a catalog (or one policy) against the repository's schema rules: names, unique flags, typed parameters with
/// ranges, defaults inside their range, presets that name known parameters with valid values, hashes that match.
/// </summary>
public static partial class CatalogValidator
{
    /// <summary>The oldest kernel with sched_ext.</summary>
    public static readonly Version MinimumSchedExtKernel = new(6, 12);

    /// <summary>Validates a whole catalog.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <returns>Every problem found; empty when the catalog is valid.</returns>
    public static IReadOnlyList<CatalogIssue> Validate(PolicyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var issues = new List<CatalogIssue>();
        if (catalog.FormatVersion != 1)
        {
            issues.Add(new("catalog.formatVersion", $"is {catalog.FormatVersion}; this package reads version 1"));
        }

        var primitiveNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var primitive in catalog.Primitives)
        {
            if (!primitiveNames.Add(primitive.Name))
            {
                issues.Add(new($"primitives.{primitive.Name}", "is defined twice; primitive names must be unique"));
            }
        }

        foreach (var primitive in catalog.Primitives)
        {
            ValidatePrimitive(primitive, primitiveNames, issues);
        }

        var policyNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in catalog.Policies)
        {
            if (!policyNames.Add(policy.Name))
            {
                issues.Add(new(policy.Name, "is defined twice; policy names must be unique"));
            }

            issues.AddRange(ValidatePolicy(policy));
            foreach (var used in policy.Primitives)
            {
                if (!primitiveNames.Contains(used))
                {
                    issues.Add(new($"{policy.Name}.primitives", $"names unknown primitive '{used}'"));
                }
            }
        }

        return issues;
    }

    /// <summary>Validates one policy on its own (as done for generated candidates on submission).</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>Every problem found; empty when the policy is valid.</returns>
    public static IReadOnlyList<CatalogIssue> ValidatePolicy(SchedulerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var issues = new List<CatalogIssue>();
        var at = policy.Name;
        if (!PolicyName.IsValid(policy.Name))
        {
            issues.Add(new("policy.name", $"'{policy.Name}' must be lower-case letters, digits and '_' starting with a letter, at most 64 characters"));
            at = "policy";
        }

        if (string.IsNullOrWhiteSpace(policy.Description))
        {
            issues.Add(new($"{at}.description", "is empty; say what the policy does and for which workloads"));
        }

        if (string.IsNullOrWhiteSpace(policy.Algorithm))
        {
            issues.Add(new($"{at}.algorithm", "is empty; name the scheduling algorithm"));
        }

        ValidateRequirements(policy, at, issues);
        ValidateArtifact(policy.Source, $"{at}.source", issues);
        ValidateArtifact(policy.BuiltObject, $"{at}.builtObject", issues);
        if (policy.Kind == PolicyKind.Generated && policy.Source?.Content is null)
        {
            issues.Add(new($"{at}.source", "a generated policy must carry its source text"));
        }

        if (policy.Kind == PolicyKind.BpfObject && policy.Source?.RelativePath is null && policy.Source?.Content is null)
        {
            issues.Add(new($"{at}.source", "a BPF-object policy needs a source path or text"));
        }

        if (policy.Provenance.Origin == PolicyOrigin.Generated && string.IsNullOrWhiteSpace(policy.Provenance.RunId))
        {
            issues.Add(new($"{at}.provenance.runId", "a generated policy must name the run that generated it"));
        }

        ValidateParameters(policy.Parameters, $"{at}.parameters", policy.UsesRodata, issues);

        var modes = new HashSet<SchedulerMode>();
        foreach (var preset in policy.Presets)
        {
            var where = $"{at}.presets.{preset.Mode}";
            if (!modes.Add(preset.Mode))
            {
                issues.Add(new(where, "is defined twice"));
            }

            var result = ParameterValidator.Validate(policy, preset.Values);
            if (!result.Succeeded)
            {
                issues.Add(new(where, result.Failure.Message));
            }
        }

        return issues;
    }

    private static void ValidateRequirements(SchedulerPolicy policy, string at, List<CatalogIssue> issues)
    {
        var version = policy.Requirements.MinimumKernelVersion;
        if (version is null || version < MinimumSchedExtKernel)
        {
            issues.Add(new($"{at}.requirements.minimumKernel", $"'{policy.Requirements.MinimumKernel}' must be a kernel release of at least {MinimumSchedExtKernel}"));
        }

        if (policy.Kind is PolicyKind.ScxBinary or PolicyKind.KernelExample && policy.Requirements.Binaries.Count == 0)
        {
            issues.Add(new($"{at}.requirements.binaries", "a binary policy must name the executable it needs"));
        }

        foreach (var feature in policy.Requirements.KernelFeatures)
        {
            if (!PolicyName.IsValid(feature))
            {
                issues.Add(new($"{at}.requirements.kernelFeatures", $"'{feature}' must be a lower-case snake_case feature name"));
            }
        }
    }

    private static void ValidateArtifact(PolicyArtifact? artifact, string where, List<CatalogIssue> issues)
    {
        if (artifact is null)
        {
            return;
        }

        if (artifact.RelativePath is { } path && (Path.IsPathRooted(path) || path.Contains("..", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal)))
        {
            issues.Add(new($"{where}.relativePath", $"'{path}' must be a forward-slash path relative to the repository root, without '..'"));
        }

        if (artifact.Sha256 is { } hash && !ContentHash.IsWellFormed(hash))
        {
            issues.Add(new($"{where}.sha256", "must be 64 lower-case hex digits"));
        }

        if (artifact.Content is { } content && artifact.Sha256 is { } declared && !string.Equals(ContentHash.Of(content), declared, StringComparison.Ordinal))
        {
            issues.Add(new($"{where}.sha256", "does not match the content; recompute it with ContentHash.Of"));
        }
    }

    internal static void ValidateParameters(IReadOnlyList<ParameterSchema> parameters, string at, bool rodata, List<CatalogIssue> issues)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            var where = $"{at}.{p.Name}";
            if (!PolicyName.IsValid(p.Name ?? ""))
            {
                issues.Add(new(where, "name must be snake_case starting with a letter"));
            }

            if (!names.Add(p.Name ?? ""))
            {
                issues.Add(new(where, "is defined twice"));
            }

            if (rodata)
            {
                if (p.Flag is not null || p.ShortFlag is not null)
                {
                    issues.Add(new(where, "a .rodata parameter has no command-line flag"));
                }

                if (p.Rodata is null || !CIdentifierRegex().IsMatch(p.Rodata) || p.RodataType is null)
                {
                    issues.Add(new(where, "needs a .rodata variable name (a C identifier) and its type"));
                }

                if (p.RodataType == RodataType.Comm)
                {
                    if (p.Type != ParameterType.String || p.MaxLength is not (> 0 and <= 15))
                    {
                        issues.Add(new(where, "a comm .rodata variable takes a string parameter of at most 15 characters (maxLength)"));
                    }
                }
                else if (p.Type is not (ParameterType.Integer or ParameterType.Duration or ParameterType.Boolean))
                {
                    issues.Add(new(where, $"type {p.Type} cannot be written to .rodata; use integer, duration or boolean (or a string with rodataType comm)"));
                }
            }
            else
            {
                if (p.Rodata is not null)
                {
                    issues.Add(new(where, "a command-line parameter has no .rodata variable"));
                }

                ValidateFlags(p, where, flags, issues);
            }

            ValidateType(p, where, issues);

            if (p.Default is { } def)
            {
                var result = p.Check(def);
                if (!result.Succeeded)
                {
                    issues.Add(new($"{where}.default", result.Failure.Message));
                }
            }
        }
    }

    private static void ValidateFlags(ParameterSchema p, string where, HashSet<string> flags, List<CatalogIssue> issues)
    {
        switch (p.Style)
        {
            case FlagStyle.Positional:
                if (p.Flag is not null)
                {
                    issues.Add(new(where, "a positional parameter has no flag"));
                }

                return;
            case FlagStyle.EnumSwitch:
                if (p.Type != ParameterType.Enum)
                {
                    issues.Add(new(where, "style enumSwitch needs type enum"));
                }

                foreach (var v in p.AllowedValues)
                {
                    if (!FlagWordRegex().IsMatch(v))
                    {
                        issues.Add(new(where, $"enum value '{v}' cannot be rendered as a switch"));
                    }
                    else if (!flags.Add("--" + v))
                    {
                        issues.Add(new(where, $"switch --{v} clashes with another flag"));
                    }
                }

                return;
            case FlagStyle.Switch when p.Type != ParameterType.Boolean:
                issues.Add(new(where, "style switch needs type boolean"));
                break;
        }

        if (p.Flag is null || !FlagRegex().IsMatch(p.Flag))
        {
            issues.Add(new($"{where}.flag", $"'{p.Flag}' must look like --long-flag or -x"));
        }
        else if (!flags.Add(p.Flag))
        {
            issues.Add(new($"{where}.flag", $"'{p.Flag}' is used by another parameter"));
        }

        if (p.ShortFlag is { } shortFlag)
        {
            if (!ShortFlagRegex().IsMatch(shortFlag))
            {
                issues.Add(new($"{where}.shortFlag", $"'{shortFlag}' must look like -x"));
            }
            else if (!string.Equals(shortFlag, p.Flag, StringComparison.Ordinal) && !flags.Add(shortFlag))
            {
                issues.Add(new($"{where}.shortFlag", $"'{shortFlag}' is used by another parameter"));
            }
        }
    }

    private static void ValidateType(ParameterSchema p, string where, List<CatalogIssue> issues)
    {
        if (p.Minimum is { } min && p.Maximum is { } max && min > max)
        {
            issues.Add(new(where, $"minimum {min} is above maximum {max}"));
        }

        switch (p.Type)
        {
            case ParameterType.Integer or ParameterType.Float or ParameterType.Duration:
                if (p.Minimum is null || p.Maximum is null)
                {
                    issues.Add(new(where, "a numeric parameter needs both a minimum and a maximum"));
                }

                if (p.Type == ParameterType.Duration && p.Unit is null)
                {
                    issues.Add(new(where, "a duration needs a unit"));
                }

                break;
            case ParameterType.Enum:
                if (p.AllowedValues.Count == 0 || p.AllowedValues.Distinct(StringComparer.Ordinal).Count() != p.AllowedValues.Count)
                {
                    issues.Add(new(where, "an enum needs a non-empty list of distinct allowed values"));
                }

                break;
            case ParameterType.String:
                if (p.Pattern is null || p.MaxLength is null or < 1 or > ParameterSchema.AbsoluteMaxLength)
                {
                    issues.Add(new(where, $"a string needs a pattern and a maxLength between 1 and {ParameterSchema.AbsoluteMaxLength}"));
                }
                else
                {
                    try
                    {
                        _ = ParameterSchema.CompilePattern(p.Pattern);
                    }
                    catch (Exception e) when (e is ArgumentException or NotSupportedException)
                    {
                        issues.Add(new($"{where}.pattern", $"is not a regular expression that matches in linear time (no backreferences, lookarounds or atomic groups): {e.Message}"));
                    }
                }

                break;
            case ParameterType.CpuMask:
                foreach (var keyword in p.AllowedValues)
                {
                    if (!FlagWordRegex().IsMatch(keyword))
                    {
                        issues.Add(new(where, $"CPU mask keyword '{keyword}' must be a lower-case word"));
                    }
                }

                break;
        }
    }

    private static void ValidatePrimitive(CodePrimitive primitive, HashSet<string> known, List<CatalogIssue> issues)
    {
        var at = $"primitives.{primitive.Name}";
        if (!PolicyName.IsValid(primitive.Name))
        {
            issues.Add(new(at, "name must be snake_case starting with a letter"));
        }

        if (string.IsNullOrWhiteSpace(primitive.Description))
        {
            issues.Add(new($"{at}.description", "is empty"));
        }

        if (!primitive.SnippetPath.StartsWith("bpf/primitives/", StringComparison.Ordinal) || primitive.SnippetPath.Contains("..", StringComparison.Ordinal))
        {
            issues.Add(new($"{at}.snippetPath", "must be under bpf/primitives/"));
        }

        ValidateParameters(primitive.Parameters, $"{at}.parameters", rodata: true, issues);
        foreach (var required in primitive.Requires)
        {
            if (!known.Contains(required))
            {
                issues.Add(new($"{at}.requires", $"names unknown primitive '{required}'"));
            }
        }
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CIdentifierRegex();

    [GeneratedRegex(@"\A(--[a-z0-9][a-z0-9-]{0,63}|-[A-Za-z])\z", RegexOptions.CultureInvariant)]
    private static partial Regex FlagRegex();

    [GeneratedRegex(@"\A-[A-Za-z]\z", RegexOptions.CultureInvariant)]
    private static partial Regex ShortFlagRegex();

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FlagWordRegex();
}
