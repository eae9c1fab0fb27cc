using System.Globalization;
using System.Text;

namespace SchedCP.Kernel.Metrics;

/// <summary>Allocation-free helpers that walk procfs text as UTF-8 bytes: lines, whitespace fields, numbers.</summary>
internal static class ProcText
{
    private const int ExcerptBytes = 60;

    /// <summary>Kernel files always end in a newline; text that does not was cut off mid-line.</summary>
    public static MetricsFailure? CheckComplete(ReadOnlySpan<byte> text, string file)
    {
        if (text.IsEmpty)
        {
            return MetricsFailure.Malformed(file, 0, "some text", "an empty file");
        }

        if (text[^1] != (byte)'\n')
        {
            var lines = text.Count((byte)'\n') + 1;
            return MetricsFailure.Malformed(file, lines, "a line ending in a newline", Excerpt(LastLine(text)));
        }

        return null;
    }

    /// <summary>A short, printable copy of a line for an error message (allocates: error path only).</summary>
    public static string Excerpt(ReadOnlySpan<byte> line)
    {
        var cut = line.Length > ExcerptBytes ? line[..ExcerptBytes] : line;
        var text = Encoding.UTF8.GetString(cut);
        var builder = new StringBuilder(text.Length + 3);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (line.Length > ExcerptBytes)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    public static bool TryParseUInt64(ReadOnlySpan<byte> field, out ulong value) =>
        ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInt64(ReadOnlySpan<byte> field, out long value) =>
        long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(ReadOnlySpan<byte> field, out double value) =>
        double.TryParse(field, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    private static ReadOnlySpan<byte> LastLine(ReadOnlySpan<byte> text)
    {
        var nl = text.LastIndexOf((byte)'\n');
        return nl < 0 ? text : text[(nl + 1)..];
    }
}

/// <summary>Splits text into lines at '\n', counting them from 1.</summary>
internal ref struct ProcLineReader
{
    private ReadOnlySpan<byte> _rest;

    public ProcLineReader(ReadOnlySpan<byte> text)
    {
        _rest = text;
        LineNumber = 0;
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    public bool TryNext(out ReadOnlySpan<byte> line)
    {
        if (_rest.IsEmpty)
        {
            line = default;
            return false;
        }

        var nl = _rest.IndexOf((byte)'\n');
        if (nl < 0)
        {
            line = _rest;
            _rest = default;
        }
        else
        {
            line = _rest[..nl];
            _rest = _rest[(nl + 1)..];
        }

        LineNumber++;
        return true;
    }
}

/// <summary>Splits a line into fields separated by spaces or tabs.</summary>
internal ref struct ProcFieldReader
{
    private ReadOnlySpan<byte> _rest;

    public ProcFieldReader(ReadOnlySpan<byte> line) => _rest = line;

    public bool TryNext(out ReadOnlySpan<byte> field)
    {
        var start = 0;
        while (start < _rest.Length && IsBlank(_rest[start]))
        {
            start++;
        }

        if (start == _rest.Length)
        {
            _rest = default;
            field = default;
            return false;
        }

        var end = start;
        while (end < _rest.Length && !IsBlank(_rest[end]))
        {
            end++;
        }

        field = _rest[start..end];
        _rest = _rest[end..];
        return true;
    }

    public bool TryNextUInt64(out ulong value)
    {
        if (TryNext(out var field))
        {
            return ProcText.TryParseUInt64(field, out value);
        }

        value = 0;
        return false;
    }

    /// <summary>True when only blanks remain.</summary>
    public readonly bool AtEnd
    {
        get
        {
            foreach (var b in _rest)
            {
                if (!IsBlank(b))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';
}
