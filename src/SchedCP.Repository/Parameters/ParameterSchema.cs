using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using SchedCP.Core.Results;

namespace SchedCP.Repository;

/// <summary>
/// The schema of one policy parameter: its type and limits, its default, and where the value goes (a command-line
/// <see cref="Flag"/> for binaries, a <c>.rodata</c> <see cref="Rodata"/> variable for BPF objects).
/// </summary>
public sealed record ParameterSchema
{
    /// <summary>Longest value accepted for any parameter, whatever its schema says.</summary>
    public const int AbsoluteMaxLength = 1024;

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);
    private static readonly SearchValues<char> NotFloat = SearchValues.Create("0123456789.-+eE");
    private static readonly SearchValues<char> Forbidden = SearchValues.Create("\"'`$;|&<>\\ \t*?~");
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> CpuList = SearchValues.Create("0123456789,-");

    /// <summary>Parameter name in snake_case (for example <c>slice_us</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The value type.</summary>
    public required ParameterType Type { get; init; }

    /// <summary>What the parameter does and when to change it.</summary>
    public string Description { get; init; } = "";

    /// <summary>The command-line flag, long form preferred (<c>--slice-us</c>); <see langword="null"/> for positional and <c>.rodata</c> parameters.</summary>
    public string? Flag { get; init; }

    /// <summary>The short alias of <see cref="Flag"/> (<c>-s</c>), for reference; argument vectors use <see cref="Flag"/>.</summary>
    public string? ShortFlag { get; init; }

    /// <summary>How the value is spelled on the command line.</summary>
    public FlagStyle Style { get; init; } = FlagStyle.Value;

    /// <summary>The <c>const volatile</c> variable the value is written to, for BPF-object policies.</summary>
    public string? Rodata { get; init; }

    /// <summary>The C type of <see cref="Rodata"/>.</summary>
    public RodataType? RodataType { get; init; }

    /// <summary>Smallest accepted value (numbers and durations, in <see cref="Unit"/>; for CPU masks, the smallest CPU id).</summary>
    public decimal? Minimum { get; init; }

    /// <summary>Largest accepted value (numbers and durations, in <see cref="Unit"/>; for CPU masks, the largest CPU id).</summary>
    public decimal? Maximum { get; init; }

    /// <summary>The scheduler's own default, in this parameter's text form; <see langword="null"/> when there is none.</summary>
    public string? Default { get; init; }

    /// <summary>The accepted values of an enum; the accepted keywords of a CPU mask.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>A regular expression a string value must match in full.</summary>
    public string? Pattern { get; init; }

    /// <summary>The longest accepted string value.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The unit of a duration.</summary>
    public DurationUnit? Unit { get; init; }

    /// <summary>
    /// Checks <paramref name="raw"/> against this schema and returns its canonical text (decimal integers, invariant
    /// floats, <c>true</c>/<c>false</c>, durations converted to <see cref="Unit"/>).
    /// </summary>
    /// <param name="raw">The value as given.</param>
    /// <returns>The canonical value, or an error naming this parameter.</returns>
    public Outcome<string, RepositoryError> Check(string? raw)
    {
        if (raw is null)
        {
            return Fail("has no value; give one or leave the parameter out to keep the scheduler's default");
        }

        if (raw.Length > AbsoluteMaxLength || raw.Any(char.IsControl))
        {
            return Fail($"contains control characters or is longer than {AbsoluteMaxLength} characters; only printable values are accepted");
        }

        var value = raw.Trim();
        return Type switch
        {
            ParameterType.Integer => CheckInteger(value),
            ParameterType.Float => CheckFloat(value),
            ParameterType.Boolean => CheckBoolean(value),
            ParameterType.String => CheckString(raw),
            ParameterType.Enum => CheckEnum(value),
            ParameterType.CpuMask => CheckCpuMask(value),
            ParameterType.Duration => CheckDuration(value),
            _ => throw new InvalidOperationException($"Unhandled parameter type {Type}."),
        };
    }

    /// <summary>A one-line description of the accepted values, used in error messages.</summary>
    /// <returns>For example "integer in [1000, 100000]".</returns>
    public string DescribeAcceptedValues() => Type switch
    {
        ParameterType.Integer => $"an integer{Range()}",
        ParameterType.Float => $"a number{Range()}",
        ParameterType.Boolean => "true or false",
        ParameterType.String => $"text matching {Pattern} of at most {MaxLength} characters",
        ParameterType.Enum => $"one of {string.Join(", ", AllowedValues)}",
        ParameterType.CpuMask => $"a hex mask such as 0xff, a CPU list such as 0-3,8{(AllowedValues.Count > 0 ? ", or one of " + string.Join(", ", AllowedValues) : "")}",
        ParameterType.Duration => $"a duration in {UnitSuffix(Unit ?? DurationUnit.Microseconds)}{Range()} (a bare number or with a ns/us/ms/s suffix)",
        _ => Type.ToString(),
    };

    private string Range()
    {
        if (Minimum is null && Maximum is null)
        {
            return "";
        }

        return string.Create(CultureInfo.InvariantCulture, $" in [{Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {Maximum?.ToString(CultureInfo.InvariantCulture) ?? "+inf"}]");
    }

    private Outcome<string, RepositoryError> Fail(string what) =>
        new RepositoryError(RepositoryErrorCode.InvalidParameterValue, $"Parameter '{Name}' {what}.");

    private Outcome<string, RepositoryError> Reject(string value) =>
        Fail($"does not accept '{Printable(value)}'; expected {DescribeAcceptedValues()}");

    private static string Printable(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private Outcome<string, RepositoryError> InRange(decimal number, string canonical, string value)
    {
        if ((Minimum is { } min && number < min) || (Maximum is { } max && number > max))
        {
            return Reject(value);
        }

        if (RodataType is { } rt && !FitsRodata(rt, number))
        {
            return Fail($"value {canonical} does not fit the {rt} variable '{Rodata}'");
        }

        return canonical;
    }

    private static bool FitsRodata(RodataType type, decimal n) => type switch
    {
        Repository.RodataType.U64 => n >= 0 && n <= ulong.MaxValue,
        Repository.RodataType.U32 => n >= 0 && n <= uint.MaxValue,
        Repository.RodataType.S64 => n >= long.MinValue && n <= long.MaxValue,
        Repository.RodataType.S32 => n >= int.MinValue && n <= int.MaxValue,
        Repository.RodataType.Bool => n is 0 or 1,
        _ => false,
    };

    private Outcome<string, RepositoryError> CheckInteger(string value)
    {
        if (!IsPlainInteger(value) || !decimal.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return Reject(value);
        }

        return InRange(n, n.ToString(CultureInfo.InvariantCulture), value);
    }

    private static bool IsPlainInteger(string value)
    {
        var digits = value.StartsWith('-') ? value.AsSpan(1) : value.AsSpan();
        return digits.Length is > 0 and <= 20 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private Outcome<string, RepositoryError> CheckFloat(string value)
    {
        if (value.Length > 32
            || value.AsSpan().ContainsAnyExcept(NotFloat)
            || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            || !double.IsFinite(d))
        {
            return Reject(value);
        }

        if ((Minimum is { } min && d < (double)min) || (Maximum is { } max && d > (double)max))
        {
            return Reject(value);
        }

        return d.ToString("R", CultureInfo.InvariantCulture);
    }

    private Outcome<string, RepositoryError> CheckBoolean(string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1")
        {
            return "true";
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0")
        {
            return "false";
        }

        return Reject(value);
    }

    private Outcome<string, RepositoryError> CheckString(string value)
    {
        if (Pattern is null || MaxLength is null)
        {
            return Fail("has no pattern or length limit in its schema, so no value can be accepted; fix the catalog entry");
        }

        // Defence in depth: a value can never pose as a flag or carry shell syntax, whatever the pattern allows.
        if (value.Length == 0 || value.Length > MaxLength || value.StartsWith('-') || value.AsSpan().ContainsAny(Forbidden))
        {
            return Reject(value);
        }

        if (value.Contains("..", StringComparison.Ordinal))
        {
            return Fail("may not contain '..'");
        }

        return CompilePattern(Pattern).IsMatch(value) ? value : Reject(value);
    }

    /// <summary>
    /// The regex a string value must match whole: <paramref name="pattern"/> anchored at both ends, compiled once.
    /// Matching is linear in the value's length, so no match timeout is needed: a timeout measured on the wall clock
    /// rejected valid values when a busy host descheduled the process in the middle of a match. Throws
    /// <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> for a pattern that is not a regex or
    /// needs backtracking (backreferences, lookarounds, atomic groups); the catalog validator reports those.
    /// </summary>
    internal static Regex CompilePattern(string pattern) => Patterns.GetOrAdd(pattern, static p =>
    {
        const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

        // The pattern must be a regex on its own: one like "a)|(b" would close the anchoring group and match unanchored.
        _ = new Regex(p, Linear);
        return new Regex(@"\A(?:" + p + @")\z", Linear);
    });

    private Outcome<string, RepositoryError> CheckEnum(string value)
    {
        foreach (var allowed in AllowedValues)
        {
            if (string.Equals(allowed, value, StringComparison.Ordinal))
            {
                return allowed;
            }
        }

        return Reject(value);
    }

    private Outcome<string, RepositoryError> CheckCpuMask(string value)
    {
        foreach (var keyword in AllowedValues)
        {
            if (string.Equals(keyword, value, StringComparison.Ordinal))
            {
                return keyword;
            }
        }

        var maxCpu = (int)(Maximum ?? 4095);
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = value.AsSpan(2);
            if (hex.Length == 0 || hex.Length > (maxCpu / 4) + 1 || hex.ContainsAnyExcept(Hex))
            {
                return Reject(value);
            }

            return "0x" + hex.ToString().ToLowerInvariant();
        }

        if (value.Length == 0 || value.Length > 512 || value.AsSpan().ContainsAnyExcept(CpuList))
        {
            return Reject(value);
        }

        foreach (var part in value.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2 || bounds.Any(b => b.Length is 0 or > 5))
            {
                return Reject(value);
            }

            var lo = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var hi = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : lo;
            if (lo > hi || hi > maxCpu || lo < (int)(Minimum ?? 0))
            {
                return Reject(value);
            }
        }

        return value;
    }

    private Outcome<string, RepositoryError> CheckDuration(string value)
    {
        var unit = Unit ?? DurationUnit.Microseconds;
        var digits = value.AsSpan();
        var end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end]))
        {
            end++;
        }

        if (end is 0 or > 19)
        {
            return Reject(value);
        }

        var suffix = value[end..];
        DurationUnit given;
        if (suffix.Length == 0)
        {
            given = unit;
        }
        else if (!TryParseSuffix(suffix, out given))
        {
            return Reject(value);
        }

        var amount = decimal.Parse(value[..end], CultureInfo.InvariantCulture);
        var inUnit = amount * Nanos(given) / Nanos(unit);
        if (inUnit != decimal.Truncate(inUnit))
        {
            return Fail($"value '{Printable(value)}' is not a whole number of {UnitSuffix(unit)}");
        }

        return InRange(inUnit, inUnit.ToString("0", CultureInfo.InvariantCulture), value);
    }

    private static bool TryParseSuffix(string suffix, out DurationUnit unit)
    {
        switch (suffix)
        {
            case "ns": unit = DurationUnit.Nanoseconds; return true;
            case "us": unit = DurationUnit.Microseconds; return true;
            case "ms": unit = DurationUnit.Milliseconds; return true;
            case "s": unit = DurationUnit.Seconds; return true;
            default: unit = default; return false;
        }
    }

    private static decimal Nanos(DurationUnit unit) => unit switch
    {
        DurationUnit.Nanoseconds => 1m,
        DurationUnit.Microseconds => 1_000m,
        DurationUnit.Milliseconds => 1_000_000m,
        _ => 1_000_000_000m,
    };

    internal static string UnitSuffix(DurationUnit unit) => unit switch
    {
        DurationUnit.Nanoseconds => "ns",
        DurationUnit.Microseconds => "us",
        DurationUnit.Milliseconds => "ms",
        _ => "s",
    };
}
