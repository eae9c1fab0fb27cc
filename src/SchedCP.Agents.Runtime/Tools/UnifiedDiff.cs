using System.Globalization;
using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Tools;

/// <summary>Creates and strictly applies unified diffs (no fuzz: a hunk whose base does not match is refused).</summary>
public static class UnifiedDiff
{
    private const int Context = 3;
    private const string NoNewline = "\\ No newline at end of file";
    private const string NoNewlineMark = "\u0000no-newline";

    /// <summary>The unified diff from <paramref name="before"/> to <paramref name="after"/>; empty when they are equal.</summary>
    /// <param name="path">The file path for the headers.</param>
    /// <param name="before">The old text, or null for a new file.</param>
    /// <param name="after">The new text.</param>
    /// <returns>The diff text.</returns>
    public static string Create(string path, string? before, string after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var (a, aNewline) = Split(before ?? string.Empty);
        var (b, bNewline) = Split(after);
        // A last line without a newline differs from the same text with one.
        if (!aNewline && a.Count > 0)
        {
            a[^1] += NoNewlineMark;
        }

        if (!bNewline && b.Count > 0)
        {
            b[^1] += NoNewlineMark;
        }

        var ops = Edits(a, b);
        var text = new StringBuilder();
        text.Append("--- ").Append(before is null ? "/dev/null" : "a/" + path).Append('\n');
        text.Append("+++ b/").Append(path).Append('\n');

        var i = 0;
        while (i < ops.Count)
        {
            while (i < ops.Count && ops[i].Kind == ' ')
            {
                i++;
            }

            if (i == ops.Count)
            {
                break;
            }

            var start = Math.Max(0, i - Context);
            var end = i;
            // Extend the hunk while changes are closer than two contexts apart.
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    end++;
                    continue;
                }

                var run = end;
                while (run < ops.Count && ops[run].Kind == ' ')
                {
                    run++;
                }

                if (run == ops.Count || run - end > 2 * Context)
                {
                    end = Math.Min(ops.Count, end + Context);
                    break;
                }

                end = run;
            }

            int oldStart = ops[start].OldIndex, newStart = ops[start].NewIndex, oldCount = 0, newCount = 0;
            for (var k = start; k < end; k++)
            {
                oldCount += ops[k].Kind == '+' ? 0 : 1;
                newCount += ops[k].Kind == '-' ? 0 : 1;
            }

            text.Append(CultureInfo.InvariantCulture, $"@@ -{(oldCount == 0 ? oldStart : oldStart + 1)},{oldCount} +{(newCount == 0 ? newStart : newStart + 1)},{newCount} @@\n");
            for (var k = start; k < end; k++)
            {
                var op = ops[k];
                var line = op.Kind == '+' ? b[op.NewIndex] : a[op.OldIndex];
                var marked = line.EndsWith(NoNewlineMark, StringComparison.Ordinal);
                text.Append(op.Kind).Append(marked ? line[..^NoNewlineMark.Length] : line).Append('\n');
                if (marked)
                {
                    text.Append(NoNewline).Append('\n');
                }
            }

            i = end;
        }

        return text.ToString();
    }

    /// <summary>Applies a unified diff to <paramref name="original"/>, all or nothing.</summary>
    /// <param name="original">The current text ("" for a missing file).</param>
    /// <param name="diff">The diff.</param>
    /// <returns>The new text, or <see cref="RuntimeErrorCode.PatchBaseMismatch"/> / <see cref="RuntimeErrorCode.InvalidInput"/> saying which hunk and line failed.</returns>
    public static Outcome<string, RuntimeError> Apply(string original, string diff)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (string.IsNullOrEmpty(diff))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "diff is empty: give a unified diff with at least one '@@' hunk.");
        }

        var (source, newline) = Split(original);
        var output = new List<string>();
        var cursor = 0;
        var lines = diff.Split('\n');
        var hunkNumber = 0;
        var sawHunk = false;
        bool sawOldMarker = false, sawNewMarker = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                if (!sawHunk && (line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("+++", StringComparison.Ordinal) || line.Length == 0
                    || line.StartsWith("diff ", StringComparison.Ordinal) || line.StartsWith("index ", StringComparison.Ordinal)))
                {
                    continue;
                }

                if (line.Length == 0 && i == lines.Length - 1)
                {
                    continue;
                }

                return new RuntimeError(RuntimeErrorCode.InvalidInput, $"diff line {i + 1} '{line}' is outside a hunk: each change must follow an '@@ -a,b +c,d @@' header.");
            }

            sawHunk = true;
            hunkNumber++;
            if (!TryParseHeader(line, out var oldStart, out var oldCount))
            {
                return new RuntimeError(RuntimeErrorCode.InvalidInput, $"hunk {hunkNumber} header '{line}' is malformed: write '@@ -start,count +start,count @@'.");
            }

            var position = oldCount == 0 ? oldStart : oldStart - 1;
            if (position < cursor || position > source.Count)
            {
                return new RuntimeError(RuntimeErrorCode.PatchBaseMismatch, $"hunk {hunkNumber} starts at line {oldStart}, which does not exist or overlaps the previous hunk in a file of {source.Count} lines: regenerate the diff against the current file.");
            }

            output.AddRange(source.Skip(cursor).Take(position - cursor));
            cursor = position;
            while (i + 1 < lines.Length && lines[i + 1].Length > 0 && lines[i + 1][0] is ' ' or '-' or '+' or '\\')
            {
                var body = lines[++i];
                var text = body[1..];
                switch (body[0])
                {
                    case ' ':
                    case '-':
                        if (cursor >= source.Count || !string.Equals(source[cursor], text, StringComparison.Ordinal))
                        {
                            var found = cursor < source.Count ? $"'{source[cursor]}'" : "the end of the file";
                            return new RuntimeError(RuntimeErrorCode.PatchBaseMismatch,
                                $"hunk {hunkNumber}: line {cursor + 1} should be '{text}' but is {found}. The file changed since the diff was made: read it again and regenerate the diff.");
                        }

                        if (body[0] == ' ')
                        {
                            output.Add(text);
                        }

                        cursor++;
                        break;
                    case '+':
                        output.Add(text);
                        break;
                    default:
                        // "\ No newline at end of file" after an added or kept line ends the new file without a newline.
                        if (lines[i - 1].StartsWith('-'))
                        {
                            sawOldMarker = true;
                        }
                        else
                        {
                            sawNewMarker = true;
                        }

                        break;
                }
            }
        }

        if (!sawHunk)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "diff has no '@@' hunk: give a unified diff such as the one UnifiedDiff.Create produces.");
        }

        output.AddRange(source.Skip(cursor));
        newline = sawNewMarker ? false : sawOldMarker || newline;
        var result = string.Join('\n', output);
        return output.Count > 0 && newline ? result + "\n" : result;
    }

    private static bool TryParseHeader(string header, out int oldStart, out int oldCount)
    {
        oldStart = 0;
        oldCount = 1;
        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4 || !parts[1].StartsWith('-') || !parts[2].StartsWith('+'))
        {
            return false;
        }

        var range = parts[1][1..].Split(',');
        return int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out oldStart)
            && (range.Length == 1 || int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out oldCount));
    }

    private static (List<string> Lines, bool TrailingNewline) Split(string text)
    {
        if (text.Length == 0)
        {
            return ([], true);
        }

        var lines = text.Split('\n').ToList();
        var trailing = lines[^1].Length == 0;
        if (trailing)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return (lines, trailing);
    }

    private static List<Edit> Edits(List<string> a, List<string> b)
    {
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && string.Equals(a[prefix], b[prefix], StringComparison.Ordinal))
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && string.Equals(a[a.Count - 1 - suffix], b[b.Count - 1 - suffix], StringComparison.Ordinal))
        {
            suffix++;
        }

        var ops = new List<Edit>();
        for (var k = 0; k < prefix; k++)
        {
            ops.Add(new Edit(' ', k, k));
        }

        int n = a.Count - prefix - suffix, m = b.Count - prefix - suffix;
        if ((long)n * m <= 4_000_000)
        {
            // Longest common subsequence over the differing middle.
            var lcs = new int[n + 1, m + 1];
            for (var x = n - 1; x >= 0; x--)
            {
                for (var y = m - 1; y >= 0; y--)
                {
                    lcs[x, y] = string.Equals(a[prefix + x], b[prefix + y], StringComparison.Ordinal) ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
                }
            }

            int p = 0, q = 0;
            while (p < n || q < m)
            {
                if (p < n && q < m && string.Equals(a[prefix + p], b[prefix + q], StringComparison.Ordinal))
                {
                    ops.Add(new Edit(' ', prefix + p++, prefix + q++));
                }
                else if (q < m && (p == n || lcs[p, q + 1] >= lcs[p + 1, q]))
                {
                    ops.Add(new Edit('+', prefix + p, prefix + q++));
                }
                else
                {
                    ops.Add(new Edit('-', prefix + p++, prefix + q));
                }
            }
        }
        else
        {
            for (var p = 0; p < n; p++)
            {
                ops.Add(new Edit('-', prefix + p, prefix));
            }

            for (var q = 0; q < m; q++)
            {
                ops.Add(new Edit('+', prefix + n, prefix + q));
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            ops.Add(new Edit(' ', a.Count - suffix + k, b.Count - suffix + k));
        }

        return ops;
    }

    private readonly record struct Edit(char Kind, int OldIndex, int NewIndex);
}
