using System.Globalization;
using System.Text;

namespace SchedCP.Verifier.Compile;

/// <summary>A line of a submitted source that is refused before clang runs, with what to do instead.</summary>
/// <param name="Line">1-based physical line where the refused construct starts.</param>
/// <param name="Message">What was refused and why.</param>
/// <param name="Remedy">What to write instead.</param>
public sealed record SourceRefusal(int Line, string Message, string Remedy);

/// <summary>
/// Screens untrusted BPF C before the compiler sees it, so a source can make clang read no file but the allowed
/// headers: every <c>#include</c>/<c>#import</c> must name a literal relative path without <c>..</c> that exists
/// inside an allowed folder; <c>#include_next</c>, <c>#embed</c>, <c>__has_include</c>, <c>__has_embed</c>,
/// <c>_Pragma</c>, <c>#pragma … dependency</c> and trigraphs are refused. Line continuations, comments between
/// tokens and the <c>%:</c> digraph are undone first, as the preprocessor would. <see cref="ScanPreprocessed"/> then
/// refuses assembler <c>.include</c>/<c>.incbin</c> directives however the string that carries them was built.
/// </summary>
public static class IncludeScanner
{
    private const string IncludeRemedy = "Include only the provided headers by their relative name, for example #include <scx/common.bpf.h> or <vmlinux.h>; paste anything else into the source.";

    /// <summary>Screens a source's directives and preprocessor tricks.</summary>
    /// <param name="source">The source text.</param>
    /// <param name="allowedDirectories">The folders an include may resolve in (full paths).</param>
    /// <returns>Every refusal, in line order; empty when the source may be compiled.</returns>
    public static IReadOnlyList<SourceRefusal> Scan(string source, IReadOnlyList<string> allowedDirectories)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(allowedDirectories);
        var refusals = new List<SourceRefusal>();
        for (var i = 0; i + 2 < source.Length; i++)
        {
            if (source[i] == '?' && source[i + 1] == '?' && "=/'()!<>-".Contains(source[i + 2], StringComparison.Ordinal))
            {
                refusals.Add(new SourceRefusal(LineAt(source, i), $"trigraph '??{source[i + 2]}' is refused", "Write the character itself."));
                break;
            }
        }

        foreach (var (line, text) in LogicalLines(StripComments(source)))
        {
            var body = text.TrimStart(' ', '\t', '\f', '\v');
            if (body.StartsWith('#') || body.StartsWith("%:", StringComparison.Ordinal))
            {
                Directive(line, body[(body[0] == '#' ? 1 : 2)..].TrimStart(' ', '\t', '\f', '\v'), allowedDirectories, refusals);
            }

            foreach (var word in new[] { "__has_include_next", "__has_include", "__has_embed", "_Pragma" })
            {
                if (ContainsIdentifier(body, word))
                {
                    refusals.Add(new SourceRefusal(line, $"'{word}' is refused: it makes the compiler look at files or run pragmas hidden in strings", "Remove it; the available headers are fixed."));
                    break;
                }
            }
        }

        return refusals;
    }

    /// <summary>
    /// Screens the preprocessed text (after every macro and include) for assembler directives that read files:
    /// <c>.include</c> and <c>.incbin</c> in any string literal, after escapes are decoded and adjacent literals joined.
    /// </summary>
    /// <param name="preprocessed">clang's <c>-E</c> output.</param>
    /// <returns>Every refusal; lines are those of the preprocessed text.</returns>
    public static IReadOnlyList<SourceRefusal> ScanPreprocessed(string preprocessed)
    {
        ArgumentNullException.ThrowIfNull(preprocessed);
        var refusals = new List<SourceRefusal>();
        var joined = new StringBuilder();
        var joinedLine = 0;
        var line = 1;
        var i = 0;
        while (i < preprocessed.Length)
        {
            var c = preprocessed[i];
            if (c == '"')
            {
                if (joined.Length == 0)
                {
                    joinedLine = line;
                }

                i = ReadLiteral(preprocessed, i + 1, joined);
                continue;
            }

            if (c == '\'')
            {
                i = ReadLiteral(preprocessed, i + 1, null, '\'');
                continue;
            }

            if (c == '\n')
            {
                line++;
            }
            else if (!char.IsWhiteSpace(c))
            {
                Check(joined, joinedLine, refusals);
            }

            i++;
        }

        Check(joined, joinedLine, refusals);
        return refusals;

        static void Check(StringBuilder joined, int line, List<SourceRefusal> refusals)
        {
            if (joined.Length == 0)
            {
                return;
            }

            var text = joined.ToString();
            joined.Clear();
            foreach (var directive in new[] { ".include", ".incbin" })
            {
                if (text.Contains(directive, StringComparison.OrdinalIgnoreCase))
                {
                    refusals.Add(new SourceRefusal(line, $"an assembler '{directive}' directive is refused: it reads a file of the machine that compiles", "Remove it from the inline assembly."));
                }
            }
        }
    }

    private static void Directive(int line, string directive, IReadOnlyList<string> allowed, List<SourceRefusal> refusals)
    {
        var nameEnd = 0;
        while (nameEnd < directive.Length && (char.IsAsciiLetterOrDigit(directive[nameEnd]) || directive[nameEnd] == '_'))
        {
            nameEnd++;
        }

        var name = directive[..nameEnd];
        var operand = directive[nameEnd..].Trim(' ', '\t', '\f', '\v');
        switch (name)
        {
            case "include_next" or "embed":
                refusals.Add(new SourceRefusal(line, $"#{name} is refused", IncludeRemedy));
                return;
            case "pragma" when ContainsIdentifier(operand, "dependency"):
                refusals.Add(new SourceRefusal(line, "#pragma dependency is refused: it checks a file of the machine that compiles", "Remove the pragma."));
                return;
            case "include" or "import":
                break;
            default:
                return;
        }

        if (operand.Length < 2 || !((operand[0] == '"' && operand.IndexOf('"', 1) is var q && q > 0 && operand[(q + 1)..].Trim().Length == 0)
            || (operand[0] == '<' && operand.IndexOf('>', StringComparison.Ordinal) is var a && a > 0 && operand[(a + 1)..].Trim().Length == 0)))
        {
            refusals.Add(new SourceRefusal(line, $"#{name} must name a header literally as \"…\" or <…>, not through a macro ({Shown(operand)})", IncludeRemedy));
            return;
        }

        var path = operand[1..^1];
        var problem = path.Length == 0 ? "is empty"
            : path.Any(char.IsControl) ? "contains a control character"
            : path.StartsWith('/') || path.StartsWith('~') || path.Contains(':', StringComparison.Ordinal) ? "is absolute"
            : path.Contains("..", StringComparison.Ordinal) ? "contains '..'"
            : path.Contains('\\', StringComparison.Ordinal) ? "contains '\\'"
            : Resolve(path, allowed) is null ? "is not one of the provided headers"
            : null;
        if (problem is not null)
        {
            refusals.Add(new SourceRefusal(line, $"#{name} {Shown(operand)} is refused: the path {problem}", IncludeRemedy));
        }
    }

    private static string? Resolve(string path, IReadOnlyList<string> allowed)
    {
        foreach (var dir in allowed)
        {
            var root = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var full = Path.GetFullPath(Path.Combine(root, path));
            if (full.StartsWith(root, StringComparison.Ordinal) && File.Exists(full))
            {
                return full;
            }
        }

        return null;
    }

    private static string Shown(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > 80 ? text[..80] : text)
        {
            _ = c is >= ' ' and <= '~' ? shown.Append(c) : shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }

        return shown.ToString();
    }

    private static bool ContainsIdentifier(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 ? ' ' : text[at - 1];
            var after = at + word.Length >= text.Length ? ' ' : text[at + word.Length];
            if (!IsIdentifierChar(before) && !IsIdentifierChar(after))
            {
                return true;
            }
        }

        return false;

        static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c > '~';
    }

    // Comments become one space (newlines kept, so line numbers stay); string and character literals are kept as is.
    private static string StripComments(string source)
    {
        var text = Unsplice(source);
        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var stop = end < 0 ? text.Length : end + 2;
                output.Append(' ').Append('\n', text.AsSpan(i, stop - i).Count('\n'));
                i = stop;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                output.Append(' ');
            }
            else if (c is '"' or '\'')
            {
                var stop = ReadLiteral(text, i + 1, null, c);
                output.Append(text, i, stop - i);
                i = stop;
            }
            else
            {
                output.Append(c);
                i++;
            }
        }

        return output.ToString();
    }

    // Backslash-newline splices are removed; a marker newline-free text would lose line numbers, so each removed
    // splice is paid back as a newline after the logical line ends.
    private static string Unsplice(string source)
    {
        var output = new StringBuilder(source.Length);
        var owed = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\\')
            {
                var j = i + 1;
                while (j < source.Length && source[j] is ' ' or '\t' or '\r')
                {
                    j++;
                }

                if (j < source.Length && source[j] == '\n')
                {
                    owed++;
                    i = j;
                    continue;
                }
            }

            output.Append(c);
            if (c == '\n' && owed > 0)
            {
                output.Append('\n', owed);
                owed = 0;
            }
        }

        return output.ToString();
    }

    private static IEnumerable<(int Line, string Text)> LogicalLines(string text)
    {
        var line = 1;
        foreach (var part in text.Split('\n'))
        {
            if (part.Length > 0)
            {
                yield return (line, part.TrimEnd('\r'));
            }

            line++;
        }
    }

    private static int ReadLiteral(string text, int i, StringBuilder? content, char quote = '"')
    {
        while (i < text.Length && text[i] != quote && text[i] != '\n')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i = Escape(text, i + 1, content);
                continue;
            }

            content?.Append(text[i]);
            i++;
        }

        return Math.Min(text.Length, i + 1);
    }

    private static int Escape(string text, int i, StringBuilder? content)
    {
        var c = text[i];
        if (c is 'x' or 'X')
        {
            var value = 0;
            var j = i + 1;
            while (j < text.Length && char.IsAsciiHexDigit(text[j]) && j - i <= 8)
            {
                value = (value * 16) + Convert.ToInt32(text[j].ToString(), 16);
                j++;
            }

            content?.Append((char)(value & 0xFFFF));
            return j;
        }

        if (c is >= '0' and <= '7')
        {
            var value = 0;
            var j = i;
            while (j < text.Length && j - i < 3 && text[j] is >= '0' and <= '7')
            {
                value = (value * 8) + (text[j] - '0');
                j++;
            }

            content?.Append((char)value);
            return j;
        }

        if (c is 'u' or 'U')
        {
            var digits = c == 'u' ? 4 : 8;
            var j = i + 1;
            var value = 0;
            while (j < text.Length && j - i <= digits && char.IsAsciiHexDigit(text[j]))
            {
                value = (value * 16) + Convert.ToInt32(text[j].ToString(), 16);
                j++;
            }

            content?.Append((char)(value & 0xFFFF));
            return j;
        }

        content?.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'a' => '\a', 'b' => '\b', 'f' => '\f', 'v' => '\v', 'e' => '\u001b', _ => c });
        return i + 1;
    }

    private static int LineAt(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
}
