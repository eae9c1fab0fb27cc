using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// The one rule for every name that becomes a file name, a path segment, a database key or a C identifier (policy,
/// primitive, workload and candidate names): a lower-case ASCII letter, then up to 63 lower-case ASCII letters,
/// digits or <c>_</c>. Checked character by character, so no control character (a trailing newline included), no
/// path separator, no <c>.</c> and no non-ASCII look-alike can pass.
/// </summary>
public static class PolicyName
{
    /// <summary>The longest valid name.</summary>
    public const int MaxLength = 64;

    /// <summary>What a valid name looks like, for error messages.</summary>
    public const string Shape = "a lower-case letter followed by at most 63 lower-case letters, digits or '_' (for example 'vtime_v2')";

    /// <summary>Whether <paramref name="name"/> is a valid name.</summary>
    /// <param name="name">The candidate name.</param>
    /// <returns><see langword="true"/> when the name follows the rule.</returns>
    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>Checks a name and says what is wrong with it.</summary>
    /// <param name="name">The candidate name.</param>
    /// <param name="what">What the name names, for the message (<c>policy</c>, <c>workload</c>, …).</param>
    /// <returns>Success with the name, or <see cref="RepositoryErrorCode.InvalidName"/> with the first problem and the valid shape.</returns>
    public static Outcome<string, RepositoryError> Validate(string? name, string what = "policy")
    {
        var problem = Problem(name);
        return problem is null
            ? name!
            : new RepositoryError(RepositoryErrorCode.InvalidName, $"The {what} name {Quote(name)} is invalid: {problem}. Use {Shape}.");
    }

    /// <summary>Shows a name in a message with control and non-ASCII characters escaped, so a hostile name cannot forge log lines.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The name in quotes, each character outside printable ASCII as <c>\uXXXX</c>.</returns>
    public static string Quote(string? name)
    {
        if (name is null)
        {
            return "(none)";
        }

        var shown = name.Length > 80 ? name[..80] : name;
        var text = new System.Text.StringBuilder("'");
        foreach (var c in shown)
        {
            _ = c is >= ' ' and <= '~' ? text.Append(c) : text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }

        return text.Append(name.Length > 80 ? "'…" : "'").ToString();
    }

    private static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it is {name.Length} characters long, more than {MaxLength}";
        }

        if (name[0] is not (>= 'a' and <= 'z'))
        {
            return "it must start with a lower-case letter";
        }

        for (var i = 1; i < name.Length; i++)
        {
            var c = name[i];
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_')
            {
                continue;
            }

            return char.IsControl(c) ? $"it contains a control character at position {i + 1}"
                : c is '/' or '\\' ? $"it contains a path separator at position {i + 1}"
                : c == '.' ? $"it contains '.' at position {i + 1}"
                : $"character {i + 1} is not a lower-case letter, digit or '_'";
        }

        return null;
    }
}
