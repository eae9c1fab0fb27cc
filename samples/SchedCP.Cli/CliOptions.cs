using System.CommandLine;
using System.CommandLine.Parsing;

/// <summary>The options several commands share, built the same way everywhere so help reads the same.</summary>
internal static class CliOptions
{
    /// <summary><c>--db PATH</c>: the policy repository file; the default lives under the user's data folder.</summary>
    public static Option<string?> Database() => new("--db")
    {
        HelpName = "PATH",
        Description = "the policy repository (default $XDG_DATA_HOME/schedcp/repository.db or ~/.local/share/schedcp/repository.db; a missing folder of an explicit PATH is refused, not created)",
    };

    /// <summary><c>--json</c>: the result as JSON on stdout instead of text.</summary>
    public static Option<bool> Json() => new("--json") { Description = "print the result as JSON on stdout" };

    /// <summary><c>--verbose</c>: log every stage on stderr.</summary>
    public static Option<bool> Verbose() => new("--verbose") { Description = "log every stage on stderr" };

    /// <summary>An integer option that must be 1 or more (at most <paramref name="maximum"/>); anything else is a usage error naming the option.</summary>
    public static Option<int> PositiveInt(string name, int fallback, string description, int maximum = int.MaxValue)
    {
        var option = new Option<int>(name)
        {
            HelpName = "N",
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = result => Positive(result, name, maximum),
        };
        return option;
    }

    /// <summary>An optional positive integer: null when not given.</summary>
    public static Option<int?> OptionalPositiveInt(string name, string description) => new(name)
    {
        HelpName = "N",
        Description = description,
        CustomParser = result => Positive(result, name, int.MaxValue),
    };

    private static int Positive(ArgumentResult result, string name, int maximum)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 && n <= maximum)
        {
            return n;
        }

        result.AddError(maximum == int.MaxValue ? $"{name} needs a positive integer, got '{text}'" : $"{name} needs 1..{maximum}, got '{text}'");
        return 0;
    }
}
