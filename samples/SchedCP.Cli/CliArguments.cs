using System.Globalization;

/// <summary>
/// A command's arguments after its name: positionals, <c>--option value</c> pairs, <c>--flag</c>s and
/// <c>key=value</c> parameters. Unknown options are an error that names them.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CliArguments()
    {
    }

    public List<string> Positionals { get; } = [];

    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/> from <paramref name="start"/>; throws <see cref="ArgumentException"/> with the reason.</summary>
    public static CliArguments Parse(string[] args, int start, IReadOnlyCollection<string> options, IReadOnlyCollection<string> flags)
    {
        var parsed = new CliArguments();
        for (var i = start; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (flags.Contains(a))
                {
                    parsed._flags.Add(a);
                }
                else if (options.Contains(a))
                {
                    parsed._options[a] = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
                }
                else
                {
                    throw new ArgumentException($"unknown option {a}");
                }
            }
            else if (a.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
            {
                parsed.Parameters[a[..eq]] = a[(eq + 1)..];
            }
            else
            {
                parsed.Positionals.Add(a);
            }
        }

        return parsed;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public int PositiveInt(string name, int fallback) =>
        Option(name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ArgumentException($"{name} needs a positive integer, got '{text}'");
}
