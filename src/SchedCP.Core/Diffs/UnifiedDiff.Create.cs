using System.Globalization;
using System.Text;

namespace SchedCP.Core.Diffs;

// Making a diff: the longest common subsequence of the two texts' lines, in hunks with three lines of context.
public static partial class UnifiedDiff
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

        var (a, aNewline) = Lines(before ?? string.Empty);
        var (b, bNewline) = Lines(after);
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

    private static (List<string> Lines, bool TrailingNewline) Lines(string text)
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
