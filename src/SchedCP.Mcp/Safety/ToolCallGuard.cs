using System.Text.RegularExpressions;
using ModelContextProtocol;

namespace SchedCP.Mcp.Safety;

/// <summary>
/// The server's gate: checks every argument before it reaches a privileged component, refuses mutations in read-only
/// mode and records every decision on a mutation (admitted or refused, with the caller) in the audit log; the
/// server's call filter adds each such call's outcome. Errors are <see cref="McpException"/>s whose message
/// says what was wrong and what to do; the client sees them as tool errors.
/// </summary>
public sealed partial class ToolCallGuard(SchedCPMcpOptions options, JsonLinesAuditLog audit)
{
    /// <summary>Whether mutating tools are refused.</summary>
    public bool ReadOnly => options.ReadOnly;

    /// <summary>Checks a name-like argument (policy, workload or scheduler name): 1 to 64 of <c>[A-Za-z0-9_.-]</c>.</summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="argument">The argument's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The value, trimmed.</returns>
    public static string Name(string tool, string argument, string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || !NamePattern().IsMatch(trimmed))
        {
            throw new McpException($"{tool}: '{argument}' must be 1-64 characters of letters, digits, '_', '.' or '-' (got '{Shorten(value)}'). Call search_policies or workload(action=list) for valid names.");
        }

        return trimmed;
    }

    /// <summary>Checks free text: non-empty and at most <paramref name="maxLength"/> characters.</summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="argument">The argument's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="maxLength">The longest accepted value.</param>
    /// <returns>The value.</returns>
    public static string Text(string tool, string argument, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            throw new McpException($"{tool}: '{argument}' must be non-empty text of at most {maxLength} characters (got {value?.Length ?? 0}). Shorten or fill it in.");
        }

        return value;
    }

    /// <summary>Checks a result limit against 1..<see cref="SchedCPMcpOptions.MaxLimit"/>.</summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="limit">The requested limit.</param>
    /// <returns>The limit.</returns>
    public int Limit(string tool, int limit)
    {
        if (limit < 1 || limit > options.MaxLimit)
        {
            throw new McpException($"{tool}: 'limit' must be between 1 and {options.MaxLimit} (got {limit}). Ask for fewer items and page with a narrower query.");
        }

        return limit;
    }

    /// <summary>Checks that <paramref name="value"/> is one of <paramref name="allowed"/> (case-insensitive).</summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="argument">The argument's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="allowed">The accepted values.</param>
    /// <returns>The accepted value in its canonical spelling.</returns>
    public static string OneOf(string tool, string argument, string? value, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var match = allowed.FirstOrDefault(a => string.Equals(a, value?.Trim(), StringComparison.OrdinalIgnoreCase));
        return match ?? throw new McpException($"{tool}: '{argument}' must be one of {string.Join(", ", allowed)} (got '{Shorten(value)}').");
    }

    /// <summary>Checks that an integer argument lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="argument">The argument's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="min">Smallest accepted value.</param>
    /// <param name="max">Largest accepted value.</param>
    /// <returns>The value.</returns>
    public static int Range(string tool, string argument, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new McpException($"{tool}: '{argument}' must be between {min} and {max} (got {value}).");

    /// <summary>Checks key=value parameters: names as <see cref="Name"/>, values at most 128 printable characters, at most 32 pairs.</summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="parameters">The parameters, or <see langword="null"/>.</param>
    /// <returns>The parameters (empty when none).</returns>
    public static IReadOnlyDictionary<string, string> Parameters(string tool, IReadOnlyDictionary<string, string>? parameters)
    {
        if (parameters is null)
        {
            return new Dictionary<string, string>();
        }

        if (parameters.Count > 32)
        {
            throw new McpException($"{tool}: at most 32 parameters are accepted (got {parameters.Count}). Call get_policy to see which ones the policy has.");
        }

        foreach (var (key, value) in parameters)
        {
            Name(tool, "parameters key", key);
            if (value is null || value.Length > 128 || value.Any(char.IsControl))
            {
                throw new McpException($"{tool}: parameter '{key}' must be at most 128 printable characters. Call get_policy for its type and range.");
            }
        }

        return parameters;
    }

    /// <summary>
    /// Admits a mutating call: refuses it in read-only mode, otherwise appends it to the audit log before it runs.
    /// </summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="arguments">The validated arguments to record.</param>
    public void AdmitMutation(string tool, IReadOnlyDictionary<string, object?> arguments)
    {
        if (options.ReadOnly)
        {
            audit.Append(tool, arguments, "refused: read-only");
            throw new McpException($"{tool}: this server is read-only and refuses tools that change the machine or the repository. Restart it without --read-only to allow this.");
        }

        audit.Append(tool, arguments, "admitted");
    }

    /// <summary>Refuses a mutating call: records <c>refused: reason</c> in the audit log and throws the tool error.</summary>
    /// <param name="tool">The tool being called.</param>
    /// <param name="arguments">The validated arguments to record.</param>
    /// <param name="reason">A short reason for the log (e.g. <c>token Expired</c>).</param>
    /// <param name="message">The message for the client: what was wrong and what to do.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="McpException">Always.</exception>
    public McpException RefuseMutation(string tool, IReadOnlyDictionary<string, object?> arguments, string reason, string message)
    {
        audit.Append(tool, arguments, "refused: " + reason);
        throw new McpException($"{tool}: {message}");
    }

    private static string Shorten(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40] + "...";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex NamePattern();
}
