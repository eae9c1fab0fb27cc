using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// Turns a parameter set into something safe to hand to a privileged loader: an argument vector for binaries or
/// <c>.rodata</c> assignments for BPF objects. Anything that is not in the policy's schema, or does not satisfy it, is
/// refused with a reason that names the parameter; free text never reaches an argument vector.
/// </summary>
public static class ParameterValidator
{
    /// <summary>Validates <paramref name="values"/> against <paramref name="policy"/>'s schema.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="values">Parameter name to value; parameters left out keep the scheduler's default.</param>
    /// <returns>The validated parameters, or the first problem found.</returns>
    public static Outcome<ValidatedParameters, RepositoryError> Validate(SchedulerPolicy policy, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(values);

        foreach (var name in values.Keys)
        {
            if (policy.FindParameter(name) is null)
            {
                var known = policy.Parameters.Count == 0 ? "it takes no parameters" : "known parameters: " + string.Join(", ", policy.Parameters.Select(p => p.Name));
                return new RepositoryError(
                    RepositoryErrorCode.UnknownParameter,
                    $"Parameter '{Truncate(name)}' is not part of policy '{policy.Name}'; {known}.");
            }
        }

        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        var arguments = new List<string>();
        var positional = new List<string>();
        var rodata = new List<RodataAssignment>();

        // Schema order, not caller order, so equal parameter sets always render to equal argument vectors.
        foreach (var schema in policy.Parameters)
        {
            if (!values.TryGetValue(schema.Name, out var raw))
            {
                continue;
            }

            var checkedValue = schema.Check(raw);
            if (!checkedValue.Succeeded)
            {
                return checkedValue.Failure;
            }

            var value = checkedValue.Value;
            canonical[schema.Name] = value;

            if (policy.UsesRodata)
            {
                if (schema.Rodata is null || schema.RodataType is null)
                {
                    return Invalid(schema, $"has no .rodata variable in the schema of BPF-object policy '{policy.Name}'; fix the catalog entry");
                }

                rodata.Add(new RodataAssignment(schema.Rodata, schema.RodataType.Value, ToRodataValue(schema, value)));
                continue;
            }

            var rendered = Render(schema, value, arguments, positional);
            if (rendered is not null)
            {
                return rendered;
            }
        }

        arguments.AddRange(positional);
        return new ValidatedParameters(policy.Name, canonical, arguments, rodata);
    }

    /// <summary>Validates the preset for <paramref name="mode"/>, with optional overrides applied on top.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="mode">The mode.</param>
    /// <param name="overrides">Values that replace or extend the preset's.</param>
    /// <returns>The validated parameters, or an error when the policy has no preset for the mode or a value is refused.</returns>
    public static Outcome<ValidatedParameters, RepositoryError> ValidatePreset(SchedulerPolicy policy, SchedulerMode mode, IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var preset = policy.Presets.FirstOrDefault(p => p.Mode == mode);
        if (preset is null)
        {
            var modes = policy.Presets.Count == 0 ? "it has no presets; pass explicit parameters" : "it has presets for " + string.Join(", ", policy.Presets.Select(p => p.Mode));
            return new RepositoryError(RepositoryErrorCode.UnknownPreset, $"Policy '{policy.Name}' has no {mode} preset; {modes}.");
        }

        var merged = new Dictionary<string, string>(preset.Values, StringComparer.Ordinal);
        if (overrides is not null)
        {
            foreach (var (k, v) in overrides)
            {
                merged[k] = v;
            }
        }

        return Validate(policy, merged);
    }

    private static RepositoryError? Render(ParameterSchema schema, string value, List<string> arguments, List<string> positional)
    {
        switch (schema.Style)
        {
            case FlagStyle.Positional:
                if (value.StartsWith('-'))
                {
                    return Error(schema, "is positional and may not start with '-'");
                }

                positional.Add(value);
                return null;

            case FlagStyle.Switch:
                if (schema.Flag is null)
                {
                    return Error(schema, "has no flag in its schema; fix the catalog entry");
                }

                if (value == "true")
                {
                    arguments.Add(schema.Flag);
                }

                return null;

            case FlagStyle.EnumSwitch:
                arguments.Add("--" + value);
                return null;

            default:
                if (schema.Flag is null)
                {
                    return Error(schema, "has no flag in its schema; fix the catalog entry");
                }

                if (schema.Flag.StartsWith("--", StringComparison.Ordinal))
                {
                    arguments.Add(schema.Flag + "=" + value);
                    return null;
                }

                if (value.StartsWith('-'))
                {
                    return Error(schema, $"value '{value}' would be read as a flag after the short option {schema.Flag}");
                }

                arguments.Add(schema.Flag);
                arguments.Add(value);
                return null;
        }
    }

    private static string ToRodataValue(ParameterSchema schema, string canonical) => schema.Type switch
    {
        ParameterType.Boolean => canonical == "true" ? "1" : "0",
        _ => canonical,
    };

    private static RepositoryError Error(ParameterSchema schema, string what) =>
        new(RepositoryErrorCode.InvalidParameterValue, $"Parameter '{schema.Name}' {what}.");

    private static Outcome<ValidatedParameters, RepositoryError> Invalid(ParameterSchema schema, string what) =>
        Error(schema, what);

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
